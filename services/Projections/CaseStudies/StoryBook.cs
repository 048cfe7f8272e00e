using Icp.Hosting.Security;
using System.Globalization;
using System.Net;
using System.Text;
using Icp.Contracts.CaseStudies;

namespace Icp.Projections.CaseStudies;

/// <summary>
/// A "story book": selected published stories and case studies as one self-contained HTML document (styles inline,
/// theographs as inline SVG, no scripts, nothing fetched from elsewhere), laid out to print one record per page.
/// </summary>
public static class StoryBook
{
    /// <summary>The page's Content-Security-Policy: its one inline style sheet, by hash; nothing else loads.</summary>
    public static readonly string ContentSecurityPolicy = ResponseHardening.PolicyWithInlineStyle(Styles);

    private const string Styles = """
        body{font-family:Georgia,'Times New Roman',serif;color:#1d1d1b;max-width:52rem;margin:2rem auto;padding:0 1rem;line-height:1.5}
        header{border-bottom:3px solid #005eb8;margin-bottom:1.5rem}
        h1{font-family:Arial,Helvetica,sans-serif;color:#005eb8;margin-bottom:.25rem}
        h2{font-family:Arial,Helvetica,sans-serif;color:#003087;margin-top:0}
        h3{font-family:Arial,Helvetica,sans-serif;font-size:1rem;margin:1rem 0 .25rem}
        .meta{font-family:Arial,Helvetica,sans-serif;font-size:.85rem;color:#425563}
        .tag{display:inline-block;background:#e8edee;border-radius:3px;padding:0 .4rem;margin-right:.25rem}
        article{border-top:1px solid #d8dde0;padding-top:1.25rem;margin-top:1.5rem}
        table{border-collapse:collapse;font-size:.85rem}td,th{border:1px solid #d8dde0;padding:.2rem .5rem;text-align:left}
        .cmoc{border-left:4px solid #41b6e6;padding-left:.75rem;margin:.75rem 0}
        footer{margin-top:2rem;font-size:.8rem;color:#425563}
        svg{max-width:100%;height:auto}
        @media print{body{margin:0}article{break-before:page;border-top:none}nav{break-after:page}}
        """;

    public static string Render(string title, IReadOnlyList<LibraryRecord> records, DateTimeOffset generatedAt)
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n");
        html.Append($"<title>{E(title)}</title>\n<style>{Styles}</style>\n</head>\n<body>\n");
        html.Append($"<header><h1>{E(title)}</h1><p class=\"meta\">{records.Count} published record(s) · generated {E(generatedAt.ToString("d MMMM yyyy HH:mm 'UTC'", CultureInfo.InvariantCulture))}</p></header>\n");
        html.Append("<nav><h2>Contents</h2><ol>");
        foreach (var r in records)
            html.Append($"<li><a href=\"#{Anchor(r.Item.RecordId)}\">{E(r.Item.Title)}</a> <span class=\"meta\">({E(KindLabel(r.Item.Kind))}, {E(r.Item.Month ?? "")})</span></li>");
        html.Append("</ol></nav>\n");
        foreach (var r in records) Article(html, r);
        html.Append("<footer><p>Stories and case studies are pseudonymised and shown only while their storytellers' consent stands. ");
        html.Append("Do not copy them beyond the evaluation they were given for.</p></footer>\n</body>\n</html>\n");
        return html.ToString();
    }

    private static void Article(StringBuilder html, LibraryRecord record)
    {
        var item = record.Item;
        var n = record.Narrative;
        html.Append($"<article id=\"{Anchor(item.RecordId)}\">\n<h2>{E(item.Title)}</h2>\n<p class=\"meta\">{E(KindLabel(item.Kind))}");
        if (item.Role is not null) html.Append($" · {E(item.Role)}");
        if (item.Month is not null) html.Append($" · {E(item.Month)}");
        if (item.UnitIds.Count > 0) html.Append($" · units: {E(string.Join(", ", item.UnitIds))}");
        if (item.IndicatorIds.Count > 0) html.Append($" · indicators: {E(string.Join(", ", item.IndicatorIds))}");
        html.Append("</p>\n");
        if (n.Tags.Count > 0) html.Append("<p class=\"meta\">").AppendJoin("", n.Tags.Select(t => $"<span class=\"tag\">{E(t)}</span>")).Append("</p>\n");

        if (n.Story is { } story)
        {
            Section(html, "What made the biggest difference", story.BiggestDifference);
            Section(html, "How it made a difference for someone supported", story.DifferenceForPerson);
            Section(html, "What the risks were", story.Risks);
            Section(html, "How the outcome changed", story.HowOutcomeChanged);
            Section(html, "What might have happened otherwise", story.Otherwise);
        }
        if (n.CaseStudy is { } cs)
        {
            html.Append($"<p class=\"meta\">Pseudonym: {E(cs.Pseudonym)}</p>\n");
            Section(html, "Situation", cs.Situation);
            Section(html, "Background", cs.Background);
            if (cs.SystemRisks.Count > 0)
            {
                html.Append("<h3>System risks</h3><ul>");
                foreach (var risk in cs.SystemRisks)
                    html.Append($"<li><strong>{E(risk.Type.Replace('_', ' '))}</strong>{(risk.Description.Length > 0 ? ": " + E(risk.Description) : "")}</li>");
                html.Append("</ul>\n");
            }
            List(html, "Recommendations from the multi-agency session", cs.Recommendations);
            Section(html, "Outcome", cs.Outcome);
        }
        if (n.Theograph is { } tg)
        {
            html.Append($"<p class=\"meta\">Pseudonym: {E(tg.Pseudonym)}</p>\n");
            Section(html, "Summary", tg.Summary);
            html.Append(CaseStudyTheographSvg.Render(item.Title, tg)).Append('\n');
            html.Append("<table><thead><tr><th>Date</th><th>Setting</th><th>Days</th><th>Note</th></tr></thead><tbody>");
            foreach (var e in tg.Events)
                html.Append($"<tr><td>{E(e.Date)}</td><td>{E(SettingLabel(e.Setting))}</td><td>{e.Days?.ToString(CultureInfo.InvariantCulture) ?? ""}</td><td>{E(e.Note ?? "")}</td></tr>");
            html.Append("</tbody></table>\n");
        }
        if (n.Realist is { } realist)
        {
            Section(html, "Summary", realist.Summary);
            foreach (var outcome in realist.Outcomes)
            {
                html.Append($"<h3>Outcome: {E(outcome.Name)}</h3>");
                if (outcome.Description is not null) html.Append($"<p>{E(outcome.Description)}</p>");
                foreach (var c in outcome.Cmocs)
                {
                    html.Append($"<div class=\"cmoc\"><p><strong>Context:</strong> {E(c.Context)}</p>");
                    if (c.EnablingContexts.Count > 0) html.Append($"<p><strong>Enabling:</strong> {E(string.Join("; ", c.EnablingContexts))}</p>");
                    if (c.ConstrainingContexts.Count > 0) html.Append($"<p><strong>Constraining:</strong> {E(string.Join("; ", c.ConstrainingContexts))}</p>");
                    html.Append($"<p><strong>Mechanism:</strong> {E(c.Mechanism)}</p><p><strong>Outcome:</strong> {E(c.Outcome)}</p><p class=\"meta\">Evidence: ");
                    html.AppendJoin("; ", c.Evidence.Select(ev => $"{E(ev.Source.Replace('_', ' '))}{(ev.Reference is null ? "" : $" ({E(ev.Reference)})")}: {E(ev.Summary)}"));
                    html.Append("</p></div>\n");
                }
            }
            foreach (var theme in realist.Themes)
            {
                html.Append($"<h3>Theme: {E(theme.Name)}</h3>");
                List(html, "Barriers", theme.Barriers);
                List(html, "Enablers", theme.Enablers);
            }
        }
        html.Append("</article>\n");
    }

    private static void Section(StringBuilder html, string heading, string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return;
        html.Append($"<h3>{E(heading)}</h3>");
        foreach (var paragraph in text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            html.Append($"<p>{E(paragraph)}</p>");
        html.Append('\n');
    }

    private static void List(StringBuilder html, string heading, IReadOnlyList<string> items)
    {
        if (items.Count == 0) return;
        html.Append($"<h3>{E(heading)}</h3><ul>").AppendJoin("", items.Select(i => $"<li>{E(i)}</li>")).Append("</ul>\n");
    }

    public static string KindLabel(string kind) => kind switch
    {
        "story" => "Workforce story",
        "case_study" => "Resident case study",
        "theograph" => "Theograph",
        "realist" => "Realist evaluation",
        _ => kind,
    };

    private static string SettingLabel(string setting) =>
        CaseStudyTheographSvg.Settings.FirstOrDefault(s => s.Setting == setting).Label ?? setting;

    private static string Anchor(string recordId) => "r-" + WebUtility.HtmlEncode(recordId);

    private static string E(string text) => WebUtility.HtmlEncode(text);
}

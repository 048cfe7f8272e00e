using System.Globalization;
using System.Security;
using System.Text;
using Icp.Contracts.Surveys;

namespace Icp.Projections.Surveys;

/// <summary>One polygon of the partnership profile: a name and the mean score (6–24) of each principle, null when nobody scored it.</summary>
public sealed record ProfileSeries(string Name, int Respondents, IReadOnlyList<double?> PrincipleMeans);

/// <summary>
/// The Partnership Assessment Tool "partnership profile": a radar with one axis per principle (labelled with its
/// name), score rings at the band limits and one polygon of mean principle scores per series (overall first).
/// </summary>
public static class SurveyProfileSvg
{
    private const double Width = 820, Height = 700, CentreX = 410, CentreY = 360, Radius = 210;
    private const double MinScore = 6, MaxScore = 24;
    private static readonly string[] Colours = ["#005eb8", "#d5281b", "#007f3b", "#7c2855", "#ed8b00", "#330072", "#00a499", "#425563"];

    public static string Render(string title, string subtitle, IReadOnlyList<ProfileSeries> series, string? footnote)
    {
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"""<svg xmlns="http://www.w3.org/2000/svg" width="{Width}" height="{Height}" viewBox="0 0 {Width} {Height}" role="img" font-family="Arial, Helvetica, sans-serif">""");
        svg.Append(CultureInfo.InvariantCulture, $"<title>{Escape(title)}</title><desc>{Escape(Describe(series))}</desc>");
        svg.Append("""<rect width="100%" height="100%" fill="#ffffff"/>""");
        svg.Append(CultureInfo.InvariantCulture, $"""<text x="24" y="34" font-size="20" font-weight="bold" fill="#212b32">{Escape(title)}</text>""");
        svg.Append(CultureInfo.InvariantCulture, $"""<text x="24" y="58" font-size="14" fill="#4c6272">{Escape(subtitle)}</text>""");

        // Bands as shaded rings (A 19–24, B 13–18, C 7–12, D 6), outermost first, with the boundaries between whole scores.
        (double Outer, string Fill, string Label)[] bands = [(24, "#e3f1e8", "A"), (18.5, "#fdf3e1", "B"), (12.5, "#fbe5e3", "C"), (6.5, "#f0f4f5", "D")];
        foreach (var (outer, fill, _) in bands)
            svg.Append(CultureInfo.InvariantCulture, $"""<polygon points="{Ring(outer)}" fill="{fill}" stroke="none"/>""");
        foreach (var score in new[] { 12.0, 18.0, 24.0 })
        {
            svg.Append(CultureInfo.InvariantCulture, $"""<polygon points="{Ring(score)}" fill="none" stroke="#aeb7bd" stroke-width="1"/>""");
            var (x, y) = Point(0, score);
            svg.Append(CultureInfo.InvariantCulture, $"""<text x="{F(x + 4)}" y="{F(y + 4)}" font-size="11" fill="#4c6272">{score:0}</text>""");
        }
        for (var p = 0; p < 6; p++)
        {
            var (x, y) = Point(p, MaxScore);
            svg.Append(CultureInfo.InvariantCulture, $"""<line x1="{F(CentreX)}" y1="{F(CentreY)}" x2="{F(x)}" y2="{F(y)}" stroke="#768692" stroke-width="1"/>""");
            AxisLabel(svg, p);
        }

        for (var s = 0; s < series.Count; s++)
        {
            var colour = Colours[s % Colours.Length];
            var means = series[s].PrincipleMeans;
            var points = string.Join(" ", Enumerable.Range(0, 6).Select(p => Point(p, means[p] ?? MinScore)).Select(pt => $"{F(pt.X)},{F(pt.Y)}"));
            var dash = s == 0 ? "" : """ stroke-dasharray="6 3" """;
            var fill = s == 0 ? "fill-opacity=\"0.18\"" : "fill-opacity=\"0\"";
            svg.Append(CultureInfo.InvariantCulture, $"""<polygon points="{points}" fill="{colour}" {fill} stroke="{colour}" stroke-width="{(s == 0 ? 3 : 2)}"{dash}/>""");
            for (var p = 0; p < 6; p++)
            {
                if (means[p] is not { } mean) continue;
                var (x, y) = Point(p, mean);
                svg.Append(CultureInfo.InvariantCulture, $"""<circle cx="{F(x)}" cy="{F(y)}" r="4" fill="{colour}"><title>{Escape($"{series[s].Name}, principle {p + 1}: mean {mean:0.0}")}</title></circle>""");
                if (s == 0)
                    svg.Append(CultureInfo.InvariantCulture, $"""<text x="{F(x + 7)}" y="{F(y - 6)}" font-size="12" font-weight="bold" fill="{colour}">{mean:0.0}</text>""");
            }
        }

        // Legend: series, then bands.
        var legendY = Height - 58;
        double legendX = 24;
        for (var s = 0; s < series.Count; s++)
        {
            var colour = Colours[s % Colours.Length];
            var label = $"{series[s].Name} (n={series[s].Respondents})";
            svg.Append(CultureInfo.InvariantCulture, $"""<rect x="{F(legendX)}" y="{F(legendY - 10)}" width="14" height="10" fill="{colour}"/>""");
            svg.Append(CultureInfo.InvariantCulture, $"""<text x="{F(legendX + 20)}" y="{F(legendY)}" font-size="12" fill="#212b32">{Escape(label)}</text>""");
            legendX += 34 + label.Length * 6.4;
            if (legendX > Width - 160) { legendX = 24; legendY += 18; }
        }
        var bandY = Height - 20;
        svg.Append(CultureInfo.InvariantCulture, $"""<text x="24" y="{F(bandY)}" font-size="11" fill="#4c6272">Principle score 6–24 (six statements, 1–4 each). Bands: A 19–24, B 13–18, C 7–12, D 6.{Escape(footnote is null ? "" : " " + footnote)}</text>""");
        svg.Append("</svg>");
        return svg.ToString();
    }

    private static string Describe(IReadOnlyList<ProfileSeries> series) =>
        string.Join("; ", series.Select(s => $"{s.Name}: " + string.Join(", ", s.PrincipleMeans.Select((m, p) =>
            $"principle {p + 1} {(m is { } v ? v.ToString("0.0", CultureInfo.InvariantCulture) : "no score")}"))));

    private static void AxisLabel(StringBuilder svg, int principle)
    {
        var (x, y) = Point(principle, MaxScore + 2.2);
        var anchor = Math.Abs(x - CentreX) < 1 ? "middle" : x > CentreX ? "start" : "end";
        var lines = Wrap($"{principle + 1}. {PartnershipPrinciples.Names[principle]}", 26);
        var top = y - (lines.Count - 1) * 15 / 2.0 + 4;
        if (principle == 0) top = y - (lines.Count - 1) * 15;
        if (principle == 3) top = y + 8;
        svg.Append(CultureInfo.InvariantCulture, $"""<text x="{F(x)}" y="{F(top)}" font-size="13" font-weight="bold" fill="#212b32" text-anchor="{anchor}">""");
        for (var i = 0; i < lines.Count; i++)
            svg.Append(CultureInfo.InvariantCulture, $"""<tspan x="{F(x)}" dy="{(i == 0 ? 0 : 15)}">{Escape(lines[i])}</tspan>""");
        svg.Append("</text>");
    }

    private static List<string> Wrap(string text, int width)
    {
        var lines = new List<string>();
        var line = "";
        foreach (var word in text.Split(' '))
        {
            if (line.Length > 0 && line.Length + 1 + word.Length > width) { lines.Add(line); line = word; }
            else line = line.Length == 0 ? word : line + " " + word;
        }
        if (line.Length > 0) lines.Add(line);
        return lines;
    }

    /// <summary>Principle p's axis points straight up for principle 1 and goes round clockwise.</summary>
    private static (double X, double Y) Point(int principle, double score)
    {
        var angle = -Math.PI / 2 + principle * Math.PI / 3;
        var r = Radius * (Math.Clamp(score, MinScore, MaxScore + 3) - MinScore) / (MaxScore - MinScore);
        return (CentreX + r * Math.Cos(angle), CentreY + r * Math.Sin(angle));
    }

    private static string Ring(double score) =>
        string.Join(" ", Enumerable.Range(0, 6).Select(p => Point(p, score)).Select(pt => $"{F(pt.X)},{F(pt.Y)}"));

    private static string F(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);

    private static string Escape(string text) => SecurityElement.Escape(text);
}

using System.Globalization;
using System.Security;
using System.Text;
using Icp.Contracts.CaseStudies;
using Icp.Hosting.Intake;

namespace Icp.Projections.CaseStudies;

/// <summary>
/// Draws a theograph: one row per setting that occurs (acute settings at the top), a dot per contact and a bar per
/// admission spanning its length of stay, on a shared monthly time axis. Pure: text in, SVG out.
/// </summary>
public static class CaseStudyTheographSvg
{
    public const double Width = 900;
    public const double LabelWidth = 170;
    public const double RightMargin = 20;
    public const double Top = 50;
    public const double RowHeight = 32;
    public const double AxisHeight = 40;
    public const double PlotWidth = Width - LabelWidth - RightMargin;

    public static readonly (string Setting, string Label, string Colour)[] Settings =
    [
        ("ambulance", "Ambulance", "#b2182b"),
        ("ae", "A&E", "#d6604d"),
        ("admission", "Hospital admission", "#8e0152"),
        ("outpatient", "Outpatient", "#e08214"),
        ("gp", "GP", "#2166ac"),
        ("community_health", "Community health", "#4393c3"),
        ("mental_health", "Mental health", "#762a83"),
        ("social_care", "Social care", "#1b7837"),
        ("housing", "Housing", "#8c510a"),
        ("vcs", "Voluntary sector", "#35978f"),
        ("other", "Other", "#636363"),
    ];

    /// <summary>The first day of the first event's month and the first day of the month after the last event (or stay end).</summary>
    public static (DateOnly Start, DateOnly End) Span(IReadOnlyList<TheographEvent> events)
    {
        var dates = events.Select(e => Months.ParseDate(e.Date)).ToList();
        var first = dates.Min();
        var last = events.Select((e, i) => dates[i].AddDays(Math.Max(0, e.Days ?? 0))).Max();
        return (new DateOnly(first.Year, first.Month, 1), new DateOnly(last.Year, last.Month, 1).AddMonths(1));
    }

    public static double X(DateOnly date, DateOnly start, DateOnly end) =>
        LabelWidth + (date.DayNumber - start.DayNumber) * PlotWidth / (end.DayNumber - start.DayNumber);

    public static string Render(string title, TheographNarrative theograph)
    {
        var events = theograph.Events;
        var rows = Settings.Where(s => events.Any(e => e.Setting == s.Setting)).ToList();
        var height = Top + Math.Max(1, rows.Count) * RowHeight + AxisHeight;
        var svg = new StringBuilder();
        svg.Append(Invariant($"""<svg xmlns="http://www.w3.org/2000/svg" width="{Width}" height="{height}" viewBox="0 0 {Width} {height}" role="img" font-family="Arial, Helvetica, sans-serif" font-size="12">"""));
        svg.Append($"<title>{Escape(title)}</title>");
        svg.Append(Invariant($"""<text x="10" y="24" font-size="16" font-weight="bold">{Escape(title)}</text>"""));
        if (events.Count == 0) return svg.Append("</svg>").ToString();

        var (start, end) = Span(events);
        var plotBottom = Top + rows.Count * RowHeight;
        for (var i = 0; i < rows.Count; i++)
        {
            var y = Top + i * RowHeight;
            if (i % 2 == 0)
                svg.Append(Invariant($"""<rect x="{LabelWidth}" y="{y}" width="{PlotWidth}" height="{RowHeight}" fill="#f4f4f4"/>"""));
            var count = events.Count(e => e.Setting == rows[i].Setting);
            svg.Append(Invariant($"""<text x="{LabelWidth - 8}" y="{y + RowHeight / 2 + 4}" text-anchor="end">{Escape(rows[i].Label)} ({count})</text>"""));
        }

        var months = (end.Year - start.Year) * 12 + end.Month - start.Month;
        var labelEvery = months <= 18 ? 1 : months <= 36 ? 3 : 6;
        for (var m = 0; m <= months; m++)
        {
            var tick = start.AddMonths(m);
            var x = X(tick, start, end);
            svg.Append(Invariant($"""<line x1="{x}" y1="{Top}" x2="{x}" y2="{plotBottom + 4}" stroke="#d0d0d0" stroke-width="1"/>"""));
            if (m < months && m % labelEvery == 0)
                svg.Append(Invariant($"""<text x="{x + 2}" y="{plotBottom + 18}" font-size="10">{tick.ToString("MMM yy", CultureInfo.InvariantCulture)}</text>"""));
        }

        for (var i = 0; i < rows.Count; i++)
        {
            var cy = Top + i * RowHeight + RowHeight / 2;
            foreach (var e in events.Where(e => e.Setting == rows[i].Setting))
            {
                var date = Months.ParseDate(e.Date);
                var x = X(date, start, end);
                var tooltip = $"<title>{Escape(e.Date)} {Escape(rows[i].Label)}{(e.Days is > 0 ? $", {e.Days} days" : "")}{(e.Note is null ? "" : ": " + Escape(e.Note))}</title>";
                if (e.Days is > 0 and var days)
                {
                    var width = Math.Max(4, X(date.AddDays(days), start, end) - x);
                    svg.Append(Invariant($"""<rect x="{Round(x)}" y="{cy - 7}" width="{Round(width)}" height="14" rx="3" fill="{rows[i].Colour}" fill-opacity="0.85">{tooltip}</rect>"""));
                }
                else
                {
                    svg.Append(Invariant($"""<circle cx="{Round(x)}" cy="{cy}" r="5" fill="{rows[i].Colour}" fill-opacity="0.85" stroke="#ffffff" stroke-width="1">{tooltip}</circle>"""));
                }
            }
        }
        svg.Append(Invariant($"""<line x1="{LabelWidth}" y1="{plotBottom}" x2="{LabelWidth + PlotWidth}" y2="{plotBottom}" stroke="#333333"/>"""));
        return svg.Append("</svg>").ToString();
    }

    private static double Round(double x) => Math.Round(x, 2);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static string Escape(string text) => SecurityElement.Escape(text);
}

using System.Globalization;
using System.Security;
using System.Text;
using Icp.Hosting.Intake;

namespace Icp.Projections.Spc;

/// <summary>
/// Draws an SPC chart the Making Data Count way: grey band between the process limits, mean line, dots coloured
/// by point type, target line, phase breaks, a provisional warning and the variation and assurance icons. Pure.
/// </summary>
public static class SpcSvg
{
    private const int Width = 860, Height = 380;
    private const int Left = 64, Right = 190, Top = 56, Bottom = 58;
    private const int PlotWidth = Width - Left - Right, PlotHeight = Height - Top - Bottom;

    public const string Improvement = "#289de0", Concern = "#fab428", Neutral = "#361475", Common = "#7b7d7d";

    public static string PointColour(string? pointType) => pointType switch
    {
        "improvement" => Improvement,
        "concern" => Concern,
        "neutral_high" or "neutral_low" => Neutral,
        _ => Common,
    };

    public static string Render(SpcChartView chart, string title, bool percent)
    {
        var svg = new StringBuilder(8192);
        var label = $"{title}: {chart.UnitId}";
        svg.Append(CultureInfo.InvariantCulture,
            $"""<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {Width} {Height}" width="{Width}" height="{Height}" role="img" aria-label="{Escape(label)}" font-family="Arial, Helvetica, sans-serif" font-size="12">""");
        svg.Append(CultureInfo.InvariantCulture, $"<title>{Escape(label)}</title>");
        svg.Append(CultureInfo.InvariantCulture, $"""<rect width="{Width}" height="{Height}" fill="#ffffff"/>""");
        svg.Append(CultureInfo.InvariantCulture, $"""<text x="{Left}" y="22" font-size="16" font-weight="bold" fill="#231f20">{Escape(title)}</text>""");
        svg.Append(CultureInfo.InvariantCulture, $"""<text x="{Left}" y="40" fill="#425563">{Escape(chart.UnitId)} · {Escape(chart.Chart.ToUpperInvariant())} chart · {Escape(RulesLabel(chart.Rules))}</text>""");

        var points = chart.Points;
        if (points.Count == 0)
        {
            svg.Append(CultureInfo.InvariantCulture, $"""<text x="{Left}" y="{Top + PlotHeight / 2}" fill="#425563">No data yet.</text></svg>""");
            return svg.ToString();
        }

        var (min, max) = Range(chart);
        double X(int i) => Left + (points.Count == 1 ? PlotWidth / 2.0 : i * PlotWidth / (double)(points.Count - 1));
        double Y(double v) => Top + PlotHeight - (v - min) / (max - min) * PlotHeight;
        string F(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);
        string Value(double v) => percent ? (v * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%" : v.ToString("0.##", CultureInfo.InvariantCulture);

        AppendAxes(svg, points, min, max, X, Y, F, Value);

        // Grey band and lines, phase by phase, broken where a point has no limits.
        foreach (var phase in chart.Phases)
        {
            var indexes = Enumerable.Range(0, points.Count)
                .Where(i => string.CompareOrdinal(points[i].Period, phase.Start) >= 0 && string.CompareOrdinal(points[i].Period, phase.End) <= 0)
                .ToArray();
            foreach (var run in Runs(indexes, i => points[i] is { Lpl: not null, Upl: not null }))
            {
                var upper = run.Select(i => $"{F(X(i))},{F(Y(points[i].Upl!.Value))}");
                var lower = run.Reverse().Select(i => $"{F(X(i))},{F(Y(points[i].Lpl!.Value))}");
                svg.Append(CultureInfo.InvariantCulture, $"""<polygon points="{string.Join(' ', upper.Concat(lower))}" fill="#e8edee" stroke="none"/>""");
                svg.Append(CultureInfo.InvariantCulture, $"""<polyline points="{string.Join(' ', run.Select(i => $"{F(X(i))},{F(Y(points[i].Upl!.Value))}"))}" fill="none" stroke="#768692" stroke-dasharray="4 3"/>""");
                svg.Append(CultureInfo.InvariantCulture, $"""<polyline points="{string.Join(' ', run.Select(i => $"{F(X(i))},{F(Y(points[i].Lpl!.Value))}"))}" fill="none" stroke="#768692" stroke-dasharray="4 3"/>""");
            }
            foreach (var run in Runs(indexes, i => points[i].Mean is not null))
                svg.Append(CultureInfo.InvariantCulture, $"""<polyline class="mean" points="{string.Join(' ', run.Select(i => $"{F(X(i))},{F(Y(points[i].Mean!.Value))}"))}" fill="none" stroke="#231f20" stroke-width="1.2"/>""");
            if (indexes.Length > 0 && indexes[0] > 0)
                svg.Append(CultureInfo.InvariantCulture, $"""<line class="phase-break" x1="{F(X(indexes[0]) - 0.5 * (X(1) - X(0)))}" x2="{F(X(indexes[0]) - 0.5 * (X(1) - X(0)))}" y1="{Top}" y2="{Top + PlotHeight}" stroke="#425563" stroke-dasharray="2 3"/>""");
        }

        if (chart.Target is { } target && target >= min && target <= max)
        {
            svg.Append(CultureInfo.InvariantCulture, $"""<line class="target" x1="{Left}" x2="{Left + PlotWidth}" y1="{F(Y(target))}" y2="{F(Y(target))}" stroke="#da291c" stroke-dasharray="6 4" stroke-width="1.5"/>""");
            svg.Append(CultureInfo.InvariantCulture, $"""<text x="{Left + PlotWidth + 4}" y="{F(Y(target) + 4)}" fill="#da291c">target {Escape(Value(target))}</text>""");
        }

        var plotted = Enumerable.Range(0, points.Count).Where(i => points[i].Value is not null).ToArray();
        foreach (var run in Runs(plotted, _ => true))
            svg.Append(CultureInfo.InvariantCulture, $"""<polyline points="{string.Join(' ', run.Select(i => $"{F(X(i))},{F(Y(points[i].Value!.Value))}"))}" fill="none" stroke="#a6b0b6" stroke-width="1.5"/>""");
        foreach (var i in plotted)
        {
            var p = points[i];
            svg.Append(CultureInfo.InvariantCulture, $"""<circle class="point" data-period="{p.Period}" data-point-type="{p.PointType ?? "none"}" cx="{F(X(i))}" cy="{F(Y(p.Value!.Value))}" r="4" fill="{PointColour(p.PointType)}"><title>{p.Period}: {Escape(Value(p.Value!.Value))}{(p.Rule is null ? "" : $" ({p.Rule.Replace('_', ' ')})")}</title></circle>""");
        }

        // Annotations: a numbered flag above the month a published story or case study is linked to.
        var flag = 0;
        foreach (var annotation in chart.Annotations)
        {
            var i = points.FindIndex(p => p.Period == annotation.Period);
            if (i < 0) continue;
            flag++;
            svg.Append(CultureInfo.InvariantCulture, $"""<g class="annotation" data-period="{annotation.Period}" data-record="{Escape(annotation.RecordId)}"><line x1="{F(X(i))}" x2="{F(X(i))}" y1="{Top - 4}" y2="{Top + PlotHeight}" stroke="#005eb8" stroke-opacity="0.35"/><circle cx="{F(X(i))}" cy="{Top - 8}" r="8" fill="#005eb8"/><text x="{F(X(i))}" y="{Top - 4}" text-anchor="middle" font-size="10" fill="#ffffff">{flag}</text><title>{annotation.Period}: {Escape(annotation.Title)} ({Escape(annotation.Kind.Replace('_', ' '))})</title></g>""");
        }

        // The intervention log: a dark green diamond at the foot of the month something was changed.
        foreach (var entry in chart.Interventions)
        {
            var i = points.FindIndex(p => p.Period == entry.Month);
            if (i < 0) continue;
            var (x, y) = (X(i), Top + PlotHeight);
            svg.Append(CultureInfo.InvariantCulture, $"""<g class="intervention" data-period="{entry.Month}" data-intervention="{Escape(entry.InterventionId)}"><line x1="{F(x)}" x2="{F(x)}" y1="{Top}" y2="{F(y)}" stroke="#006747" stroke-dasharray="1 3"/><polygon points="{F(x)},{F(y - 7)} {F(x + 6)},{F(y)} {F(x)},{F(y + 7)} {F(x - 6)},{F(y)}" fill="#006747"/><title>{entry.Month}: {Escape(entry.Title)} ({Escape(entry.Kind)})</title></g>""");
        }

        AppendIcons(svg, chart);
        if (chart.Provisional)
            svg.Append(CultureInfo.InvariantCulture, $"""<text class="provisional" x="{Left + PlotWidth}" y="40" text-anchor="end" fill="#b35c00" font-weight="bold">Provisional limits: fewer than 12 points</text>""");
        svg.Append("</svg>");
        return svg.ToString();
    }

    private static void AppendAxes(StringBuilder svg, List<SpcPointView> points, double min, double max,
        Func<int, double> x, Func<double, double> y, Func<double, string> f, Func<double, string> value)
    {
        svg.Append(CultureInfo.InvariantCulture, $"""<line x1="{Left}" x2="{Left}" y1="{Top}" y2="{Top + PlotHeight}" stroke="#425563"/>""");
        svg.Append(CultureInfo.InvariantCulture, $"""<line x1="{Left}" x2="{Left + PlotWidth}" y1="{Top + PlotHeight}" y2="{Top + PlotHeight}" stroke="#425563"/>""");
        for (var t = 0; t <= 4; t++)
        {
            var v = min + (max - min) * t / 4;
            svg.Append(CultureInfo.InvariantCulture, $"""<text x="{Left - 6}" y="{f(y(v) + 4)}" text-anchor="end" fill="#425563">{Escape(value(v))}</text>""");
            svg.Append(CultureInfo.InvariantCulture, $"""<line x1="{Left}" x2="{Left + PlotWidth}" y1="{f(y(v))}" y2="{f(y(v))}" stroke="#f0f4f5"/>""");
        }
        var step = Math.Max(1, (int)Math.Ceiling(points.Count / 12.0));
        for (var i = 0; i < points.Count; i += step)
        {
            var month = Months.Parse(points[i].Period);
            svg.Append(CultureInfo.InvariantCulture, $"""<line x1="{f(x(i))}" x2="{f(x(i))}" y1="{Top + PlotHeight}" y2="{Top + PlotHeight + 4}" stroke="#425563"/>""");
            svg.Append(CultureInfo.InvariantCulture, $"""<text class="month" x="{f(x(i))}" y="{Top + PlotHeight + 18}" text-anchor="middle" fill="#425563">{month.ToString("MMM yy", CultureInfo.InvariantCulture)}</text>""");
        }
        svg.Append(CultureInfo.InvariantCulture, $"""<text x="{Left + PlotWidth / 2}" y="{Height - 12}" text-anchor="middle" fill="#425563">Month</text>""");
    }

    private static void AppendIcons(StringBuilder svg, SpcChartView chart)
    {
        var cx = Width - Right + 70;
        var (variationColour, variationMark, variationText) = chart.VariationIcon switch
        {
            "improvement_high" => (Improvement, "H", "Improvement (high)"),
            "improvement_low" => (Improvement, "L", "Improvement (low)"),
            "concern_high" => (Concern, "H", "Concern (high)"),
            "concern_low" => (Concern, "L", "Concern (low)"),
            "neutral_high" => (Neutral, "H", "Special cause (high)"),
            "neutral_low" => (Neutral, "L", "Special cause (low)"),
            "common_cause" => (Common, "~", "Common cause variation"),
            _ => ("#d0d5d8", "", "No variation icon"),
        };
        svg.Append(CultureInfo.InvariantCulture, $"""<g class="variation-icon" data-icon="{chart.VariationIcon ?? "none"}"><circle cx="{cx}" cy="{Top + 24}" r="20" fill="#ffffff" stroke="{variationColour}" stroke-width="4"/><text x="{cx}" y="{Top + 30}" text-anchor="middle" font-size="17" font-weight="bold" fill="{variationColour}">{variationMark}</text><text x="{cx}" y="{Top + 62}" text-anchor="middle" fill="#231f20">{variationText}</text></g>""");

        var (assuranceColour, assuranceMark, assuranceText) = chart.AssuranceIcon switch
        {
            "consistent_pass" => (Improvement, "P", "Consistently passes target"),
            "consistent_fail" => (Concern, "F", "Consistently fails target"),
            "inconsistent" => (Common, "?", "Hit and miss target"),
            _ => ("#d0d5d8", "–", "No target assurance"),
        };
        svg.Append(CultureInfo.InvariantCulture, $"""<g class="assurance-icon" data-icon="{chart.AssuranceIcon ?? "none"}"><circle cx="{cx}" cy="{Top + 104}" r="20" fill="#ffffff" stroke="{assuranceColour}" stroke-width="4"/><text x="{cx}" y="{Top + 110}" text-anchor="middle" font-size="17" font-weight="bold" fill="{assuranceColour}">{assuranceMark}</text><text x="{cx}" y="{Top + 142}" text-anchor="middle" fill="#231f20">{assuranceText}</text></g>""");
    }

    private static (double Min, double Max) Range(SpcChartView chart)
    {
        var numbers = chart.Points.SelectMany(p => new[] { p.Value, p.Lpl, p.Upl }).Append(chart.Target)
            .Where(v => v is not null && double.IsFinite(v.Value)).Select(v => v!.Value).ToList();
        if (numbers.Count == 0) return (0, 1);
        double min = numbers.Min(), max = numbers.Max();
        var pad = max > min ? (max - min) * 0.08 : Math.Max(Math.Abs(max) * 0.1, 1);
        return (min - pad, max + pad);
    }

    /// <summary>Consecutive indexes for which <paramref name="include"/> holds (a gap or a missing limit breaks a line).</summary>
    private static IEnumerable<int[]> Runs(int[] indexes, Func<int, bool> include)
    {
        var run = new List<int>();
        foreach (var i in indexes)
        {
            if (include(i) && (run.Count == 0 || run[^1] == i - 1)) { run.Add(i); continue; }
            if (run.Count > 0) yield return run.ToArray();
            run.Clear();
            if (include(i)) run.Add(i);
        }
        if (run.Count > 0) yield return run.ToArray();
    }

    private static string RulesLabel(string rules) => rules == "anhoej" ? "Anhøj runs rules" : "Making Data Count rules";

    private static string Escape(string text) => SecurityElement.Escape(text) ?? "";
}

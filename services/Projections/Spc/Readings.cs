using System.Globalization;
using Icp.Hosting.Intake;
using Icp.Projections.Comparison;

namespace Icp.Projections.Spc;

/// <summary>
/// The sentence under a chart: what the chart shows, in plain English, from its icons and the points of its latest
/// special cause, and what it cannot show (a change, not its cause). Deterministic and pure.
/// </summary>
public static class Readings
{
    public static string ForChart(SpcChartView chart, string indicatorName, string unitName, bool percent)
    {
        var subject = $"{indicatorName} in {unitName}";
        if (chart.Points.All(p => p.Value is null)) return $"{subject}: no data yet.";
        var sentences = new List<string> { Variation(chart, subject) };
        if (Assurance(chart, percent) is { } assurance) sentences.Add(assurance);
        if (chart.Provisional) sentences.Add("With so few months the limits are provisional.");
        return string.Join(" ", sentences);
    }

    /// <summary>The intervention unit's reading, and whether its latest special cause is its own or shared.</summary>
    public static string ForComparison(ComparisonView view, string indicatorName, string unitName, bool percent)
    {
        var reading = ForChart(view.Intervention, indicatorName, unitName, percent);
        var run = LatestRun(view.Intervention);
        var others = view.ComparisonUnitIds.Count;
        if (run is null || others == 0) return reading;
        var inRun = view.Signals.Where(s => string.CompareOrdinal(s.Period, run.Value.Start) >= 0).ToList();
        if (view.Intervention.VariationIcon is null or "common_cause") return reading;
        var sharedWith = inRun.SelectMany(s => s.SharedWith).Distinct().Order(StringComparer.Ordinal).ToList();
        var comparison = sharedWith.Count == 0
            ? $"It is not seen in the {Count(others)} comparison {(others == 1 ? "unit" : "units")} at the same time, so it is " +
              "worth looking for what is different here."
            : $"It is also seen in {string.Join(", ", sharedWith)} ({sharedWith.Count} of {others} comparison " +
              $"{(others == 1 ? "unit" : "units")}), which points to something shared rather than local.";
        return $"{reading} {comparison}";
    }

    private static string Variation(SpcChartView chart, string subject)
    {
        var first = chart.Points.First(p => p.Value is not null).Period;
        var run = LatestRun(chart);
        if (run is null)
            return $"{subject} shows common-cause variation only since {Month(first)}: nothing suggests the process has changed.";
        var kind = run.Value.PointType switch
        {
            "improvement" => "improvement",
            "concern" => "a cause for concern",
            _ => "a change in a direction with no better side",
        };
        if (chart.VariationIcon is null or "common_cause")
            return $"{subject} shows common-cause variation in its latest months; its last special cause, {kind} " +
                $"({Rule(run.Value.Rule)}), began in {Month(run.Value.Start)}.";
        return $"{subject} has shown {kind} since {Month(run.Value.Start)} ({Rule(run.Value.Rule)}); SPC shows that the " +
            "process changed, not why.";
    }

    private static string? Assurance(SpcChartView chart, bool percent)
    {
        if (chart.Target is not { } target || chart.AssuranceIcon is null) return null;
        var t = percent ? target.ToString("0.#%", CultureInfo.InvariantCulture) : target.ToString("0.##", CultureInfo.InvariantCulture);
        return chart.AssuranceIcon switch
        {
            "consistent_pass" => $"If nothing changes, the {t} target will be met every month: it lies beyond the process limits on the worse side.",
            "consistent_fail" => $"If nothing changes, the {t} target will not be met: it lies beyond the process limits on the better side.",
            _ => $"The {t} target is sometimes met and sometimes missed: it lies within the process limits.",
        };
    }

    /// <summary>The run of special-cause points of one kind that ends at the chart's latest such point.</summary>
    private static (string Start, string PointType, string? Rule)? LatestRun(SpcChartView chart)
    {
        var points = chart.Points;
        var last = points.FindLastIndex(p => p.PointType is not (null or "common_cause"));
        if (last < 0) return null;
        var type = points[last].PointType!;
        var start = last;
        while (start > 0 && points[start - 1].PointType == type) start--;
        var rules = points.Skip(start).Take(last - start + 1).Select(p => p.Rule).OfType<string>().ToList();
        // The rule that explains the most points of the run (a shift over its one astronomical point, say).
        var rule = rules.GroupBy(r => r).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => g.Key).FirstOrDefault();
        return (points[start].Period, type, rule);
    }

    private static string Rule(string? rule) => rule switch
    {
        "shift" => "a shift: a run of points on one side of the mean",
        "trend" => "a trend: a run of points rising or falling",
        "astronomical" => "a point beyond the process limits",
        "two_of_three" => "two of three points close to a process limit",
        _ => "a special cause",
    };

    private static string Count(int n) => n switch
    {
        1 => "one", 2 => "two", 3 => "three", 4 => "four", 5 => "five", 6 => "six", 7 => "seven", 8 => "eight", 9 => "nine",
        _ => n.ToString(CultureInfo.InvariantCulture),
    };

    private static string Month(string period) =>
        Months.Parse(period).ToString("MMM yyyy", CultureInfo.InvariantCulture);
}

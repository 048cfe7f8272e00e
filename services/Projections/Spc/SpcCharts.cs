using System.Globalization;
using Icp.Contracts.Indicators;
using Icp.Hosting;
using Icp.Hosting.Intake;
using Icp.Spc;
using Icp.Projections.CaseStudies;

namespace Icp.Projections.Spc;

/// <summary>The chart options a caller may set (query parameters of the SPC endpoint).</summary>
public sealed record SpcQuery(int? BaselinePoints, IReadOnlyList<string> Rebase, bool ScreenMovingRanges, RuleSet Rules, DateTimeOffset? AsOf)
{
    public static (SpcQuery? Query, List<ValidationError> Errors) Parse(string? baselinePoints, string? rebase,
        string? screenMovingRanges, string? rules, string? asOf)
    {
        var errors = new List<ValidationError>();
        int? baseline = null;
        if (!string.IsNullOrEmpty(baselinePoints))
        {
            if (int.TryParse(baselinePoints, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= SpcOptions.MinimumBaselinePoints)
                baseline = n;
            else
                errors.Add(new(null, "baselinePoints", $"Must be a whole number of at least {SpcOptions.MinimumBaselinePoints}."));
        }
        var rebaseMonths = (rebase ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var month in rebaseMonths.Where(m => !IsMonth(m)))
            errors.Add(new(null, "rebase", $"{Text.Echo(month)} is not a month (YYYY-MM)."));
        var screen = false;
        if (!string.IsNullOrEmpty(screenMovingRanges) && !bool.TryParse(screenMovingRanges, out screen))
            errors.Add(new(null, "screenMovingRanges", "Must be true or false."));
        if (!SpcContract.TryParseRuleSet(rules, out var ruleSet))
            errors.Add(new(null, "rules", "Must be mdc or anhoej."));
        DateTimeOffset? asOfInstant = null;
        if (!string.IsNullOrEmpty(asOf))
        {
            if (DateTimeOffset.TryParse(asOf, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant)) asOfInstant = instant;
            else errors.Add(new(null, "asOf", "Must be an ISO 8601 instant, e.g. 2025-04-01T00:00:00Z."));
        }
        return errors.Count > 0
            ? (null, errors)
            : (new SpcQuery(baseline, rebaseMonths.Distinct().Order(StringComparer.Ordinal).ToArray(), screen, ruleSet, asOfInstant), errors);
    }

    private static bool IsMonth(string text) =>
        text.Length == 7 && DateOnly.TryParseExact(text + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _);
}

public sealed record SpcPhaseView(string Start, string End, double? Mean, double? Lpl, double? Upl, int N, int? BaselinePoints, bool Provisional);

public sealed record SpcPointView(string Period, double? Value, double? Numerator, double? Denominator,
    double? Mean, double? Lpl, double? Upl, double? Nlpl, double? Nupl, string? PointType, string? Rule, bool Unplottable);

public sealed record AnhoejView(int NUseful, int? LongestRun, int? LongestRunLimit, int? Crossings, int? CrossingsMin, bool Signal);

public sealed record ChartIntervention(string Month, string InterventionId, string Kind, string Title, string? IndicatorId);

/// <summary>The SPC endpoint's answer: the public contract's fields, plus what a careful reader needs besides.</summary>
public sealed record SpcChartView(
    string IndicatorId, string UnitId, string Chart, string Improvement, double? Target, string Rules, DateTimeOffset? AsOf,
    List<SpcPhaseView> Phases, List<SpcPointView> Points, string? VariationIcon, string? AssuranceIcon, AnhoejView? Anhoej,
    bool Provisional, IReadOnlyList<string> Warnings)
{
    /// <summary>Published stories and case studies linked to this indicator, unit and a month of the chart.</summary>
    public IReadOnlyList<ChartAnnotation> Annotations { get; init; } = [];

    /// <summary>The unit's intervention log entries in the chart's months (for this indicator or for every one).</summary>
    public IReadOnlyList<ChartIntervention> Interventions { get; init; } = [];

    /// <summary>What the chart shows, in a sentence or two (see <see cref="Readings"/>).</summary>
    public string? Reading { get; init; }
}

/// <summary>Turns an indicator's monthly values into its chart with the SPC engine. Pure: no I/O.</summary>
public static class SpcCharts
{
    public static SpcChartView Build(IndicatorDefinedV1 indicator, string unitId, IReadOnlyList<MonthlyValue> values, SpcQuery query)
    {
        SpcContract.TryParseChartType(indicator.Chart, out var chart);
        SpcContract.TryParseImprovementDirection(indicator.Improvement, out var improvement);
        var months = ContinuousMonths(values);
        var byPeriod = values.ToDictionary(v => v.Period);
        var series = months.Select(m => byPeriod.GetValueOrDefault(m)).ToArray();
        // The indicator's configured phases apply unless the caller names its own.
        var rebase = query.Rebase.Count > 0 ? query.Rebase : indicator.Phases ?? [];
        var rebaseIndexes = rebase.Select(m => Array.IndexOf(months, m)).Where(i => i > 0).Distinct().Order().ToArray();

        if (months.Length == 0)
            return new SpcChartView(indicator.IndicatorId, unitId, indicator.Chart, indicator.Improvement, indicator.Target,
                query.Rules.ToContractString(), query.AsOf, [], [], null, null, null, false, ["No values yet."]);

        var options = new SpcOptions
        {
            Chart = chart,
            Improvement = improvement,
            Target = indicator.Target,
            BaselinePoints = query.BaselinePoints,
            RebaseIndexes = rebaseIndexes,
            ScreenMovingRanges = query.ScreenMovingRanges,
            Rules = query.Rules,
            ShiftLength = indicator.ShiftLength ?? SpcOptions.DefaultRunLength,
            TrendLength = indicator.TrendLength ?? SpcOptions.DefaultRunLength,
        };
        var result = SpcEngine.IsRatioChart(chart)
            ? SpcEngine.Calculate(series.Select(v => v?.Numerator).ToArray(), series.Select(v => v?.Denominator).ToArray(), options)
            : SpcEngine.Calculate(series.Select(SingleValue).ToArray(), options);

        var points = new List<SpcPointView>(months.Length);
        for (var i = 0; i < months.Length; i++)
        {
            var p = result.Points[i];
            points.Add(new SpcPointView(months[i], p.Value, series[i]?.Numerator, series[i]?.Denominator,
                p.Mean, p.Lpl, p.Upl, p.Nlpl, p.Nupl, p.PointType.ToContractString(), p.Rule.ToContractString(), p.Unplottable));
        }
        var phases = result.Phases.Select(ph => new SpcPhaseView(months[ph.Start], months[ph.End], ph.Mean, ph.Lpl, ph.Upl, ph.N,
            ph.BaselinePoints, ph.IsProvisional)).ToList();
        var a = result.Anhoej;
        return new SpcChartView(indicator.IndicatorId, unitId, indicator.Chart, indicator.Improvement, indicator.Target,
            query.Rules.ToContractString(), query.AsOf, phases, points, result.VariationIcon.ToContractString(),
            result.AssuranceIcon.ToContractString(),
            new AnhoejView(a.NUseful, a.LongestRun, a.LongestRunLimit, a.Crossings, a.CrossingsMin, a.Signal),
            result.IsProvisional, result.Warnings);
    }

    // A count or mean is plotted as its value; a ratio drawn on an XmR or C chart as numerator / denominator.
    private static double? SingleValue(MonthlyValue? v) =>
        v?.Value ?? (v is { Numerator: { } n, Denominator: > 0 and var d } ? n / d : null);

    /// <summary>Every month from the first to the last with a value: missing months are gaps, never zeros.</summary>
    public static string[] ContinuousMonths(IReadOnlyList<MonthlyValue> values)
    {
        if (values.Count == 0) return [];
        var ordered = values.Select(v => v.Period).Order(StringComparer.Ordinal).ToArray();
        var first = Months.Parse(ordered[0]);
        var last = Months.Parse(ordered[^1]);
        var months = new List<string>();
        for (var m = first; m <= last; m = m.AddMonths(1)) months.Add(Months.Format(m));
        return months.ToArray();
    }
}

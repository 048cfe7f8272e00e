using Icp.Contracts.Indicators;
using Icp.Hosting.Intake;
using Icp.Projections.Spc;

namespace Icp.Projections.Comparison;

public sealed record SignalVerdict(string Period, string PointType, string? Rule, string Side, string Verdict, IReadOnlyList<string> SharedWith);

public sealed record ComparisonView(
    string IndicatorId, string InterventionUnitId, string? GoLive, int? BaselinePoints, IReadOnlyList<string> ComparisonUnitIds,
    SpcChartView Intervention, IReadOnlyList<SpcChartView> Comparisons, IReadOnlyList<SignalVerdict> Signals,
    int Unique, int Shared, IReadOnlyList<string> Warnings)
{
    /// <summary>The intervention unit's reading and whether its latest special cause is its own (see <see cref="Readings"/>).</summary>
    public string? Reading { get; init; }
}

/// <summary>
/// The evaluators' question: is a special cause in the intervention unit absent from the comparison units
/// (worth investigating) or present in them too (something system-wide)? Pure.
/// </summary>
public static class PeerComparison
{
    public const string Unique = "unique", Shared = "shared";

    /// <summary>
    /// Comparison units: those with role "comparison" and the intervention unit's kind, in the same system (the top of
    /// its chain of parents), whichever locality they sit in.
    /// </summary>
    public static IReadOnlyList<UnitDefinedV1> ComparisonUnits(UnitDefinedV1 intervention, IEnumerable<UnitDefinedV1> units)
    {
        var byId = units.ToDictionary(u => u.UnitId);
        string Root(UnitDefinedV1 unit)
        {
            var seen = new HashSet<string>();
            while (unit.ParentId is { } parent && byId.TryGetValue(parent, out var up) && seen.Add(unit.UnitId)) unit = up;
            return unit.ParentId ?? unit.UnitId;
        }
        var root = Root(intervention);
        return byId.Values.Where(u => u.Role == "comparison" && u.UnitId != intervention.UnitId && u.Kind == intervention.Kind && Root(u) == root)
            .OrderBy(u => u.UnitId, StringComparer.Ordinal).ToList();
    }

    /// <summary>Months of a series before the go-live month: the default baseline, when there are at least 12.</summary>
    public static int MonthsBefore(IReadOnlyList<MonthlyValue> values, string? goLive) =>
        goLive is null ? 0 : SpcCharts.ContinuousMonths(values).Count(m => string.CompareOrdinal(m, goLive) < 0);

    public static IReadOnlyList<SignalVerdict> Assess(SpcChartView intervention, IReadOnlyList<SpcChartView> comparisons)
    {
        var signals = new List<SignalVerdict>();
        foreach (var point in intervention.Points)
        {
            if (point.PointType is null or "common_cause") continue;
            var side = Side(point);
            var sharedWith = comparisons
                .Where(c => c.Points.Any(p => p.Period == point.Period && p.PointType is not (null or "common_cause") && Side(p) == side))
                .Select(c => c.UnitId).ToList();
            signals.Add(new SignalVerdict(point.Period, point.PointType, point.Rule, side, sharedWith.Count > 0 ? Shared : Unique, sharedWith));
        }
        return signals;
    }

    private static string Side(SpcPointView p) => p.PointType switch
    {
        "neutral_high" => "high",
        "neutral_low" => "low",
        _ => p.Value > p.Mean ? "high" : "low",
    };

    public static string MonthBefore(string month) =>
        Months.Format(Months.Parse(month).AddMonths(-1));
}

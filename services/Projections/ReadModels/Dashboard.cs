using System.Globalization;
using Icp.Contracts.Indicators;
using Icp.Spc;

namespace Icp.Projections.ReadModels;

public sealed record DashboardCell(string IndicatorId, string? LatestPeriod, double? LatestValue, string? VariationIcon,
    string? AssuranceIcon, int ImprovementSignals, int ConcernSignals, int MonthsMissing, bool Overdue);

public sealed record DashboardUnit(string UnitId, string Name, string Role, string? GoLive, int ImprovementSignals, int ConcernSignals,
    double Completeness, int OverdueIndicators, IReadOnlyList<DashboardCell> Indicators);

public sealed record DashboardIndicator(string IndicatorId, string Name, string Domain, string Measure, string Improvement, string Chart, string? UnitLabel);

public sealed record DashboardView(string LastFullMonth, DateTimeOffset? AsOf, IReadOnlyList<DashboardIndicator> Indicators,
    IReadOnlyList<DashboardUnit> Units);

/// <summary>
/// The programme overview: for each unit and indicator the latest value, its variation and assurance icons, the
/// improvement and concern signals of the last 12 months, and whether data are missing or overdue. Pure.
/// </summary>
public static class Dashboard
{
    public const int RecentMonths = 12;

    public static DashboardView Build(IReadOnlyList<UnitDefinedV1> units, IReadOnlyList<IndicatorDefinedV1> indicators,
        IReadOnlyDictionary<(string IndicatorId, string UnitId), List<MonthlyValue>> values, DateOnly today, DateTimeOffset? asOf)
    {
        var lastFullMonth = new DateOnly(today.Year, today.Month, 1).AddMonths(-1).ToString("yyyy-MM", CultureInfo.InvariantCulture);
        var defaults = new SpcQuery(null, [], false, RuleSet.MakingDataCount, asOf);
        var rows = new List<DashboardUnit>();
        foreach (var unit in units.Where(u => values.Keys.Any(k => k.UnitId == u.UnitId)))
        {
            var cells = new List<DashboardCell>();
            foreach (var indicator in indicators)
            {
                if (!values.TryGetValue((indicator.IndicatorId, unit.UnitId), out var series) || series.Count == 0) continue;
                var chart = SpcCharts.Build(indicator, unit.UnitId, series, defaults);
                var latest = chart.Points.LastOrDefault(p => p.Value is not null);
                var recent = chart.Points.TakeLast(RecentMonths).ToList();
                var expected = MonthsBetween(chart.Points[0].Period, lastFullMonth);
                cells.Add(new DashboardCell(indicator.IndicatorId, latest?.Period, latest?.Value, chart.VariationIcon, chart.AssuranceIcon,
                    recent.Count(p => p.PointType == "improvement"), recent.Count(p => p.PointType == "concern"),
                    Math.Max(0, expected - series.Count),
                    string.CompareOrdinal(chart.Points[^1].Period, lastFullMonth) < 0));
            }
            var expectedTotal = cells.Sum(c => c.MonthsMissing) + values.Where(v => v.Key.UnitId == unit.UnitId).Sum(v => v.Value.Count);
            rows.Add(new DashboardUnit(unit.UnitId, unit.Name, unit.Role, unit.GoLive,
                cells.Sum(c => c.ImprovementSignals), cells.Sum(c => c.ConcernSignals),
                expectedTotal == 0 ? 1 : 1 - cells.Sum(c => c.MonthsMissing) / (double)expectedTotal,
                cells.Count(c => c.Overdue), cells));
        }
        var order = new Dictionary<string, int> { ["intervention"] = 0, ["comparison"] = 1 };
        return new DashboardView(lastFullMonth, asOf,
            indicators.Select(i => new DashboardIndicator(i.IndicatorId, i.Name, i.Domain, i.Measure, i.Improvement, i.Chart, i.UnitLabel)).ToList(),
            rows.OrderBy(u => order.GetValueOrDefault(u.Role, 2)).ThenBy(u => u.UnitId, StringComparer.Ordinal).ToList());
    }

    /// <summary>Months from <paramref name="first"/> to <paramref name="last"/>, both included (0 when last is earlier).</summary>
    public static int MonthsBetween(string first, string last)
    {
        var a = DateOnly.ParseExact(first + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture);
        var b = DateOnly.ParseExact(last + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture);
        return Math.Max(0, (b.Year - a.Year) * 12 + b.Month - a.Month + 1);
    }
}

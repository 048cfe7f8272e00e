using Icp.Contracts.Indicators;
using Icp.Hosting.Intake;
using Icp.Projections.Spc;
using Icp.Spc;

namespace Icp.Projections.Dashboard;

public sealed record DashboardCell(string IndicatorId, string? LatestPeriod, double? LatestValue, string? VariationIcon,
    string? AssuranceIcon, int ImprovementSignals, int ConcernSignals, int MonthsMissing, bool Overdue);

public sealed record DashboardUnit(string UnitId, string Name, string Role, string? GoLive, int ImprovementSignals, int ConcernSignals,
    double Completeness, int OverdueIndicators, IReadOnlyList<DashboardCell> Indicators);

public sealed record DashboardIndicator(string IndicatorId, string Name, string Domain, string Measure, string Improvement, string Chart, string? UnitLabel);

/// <summary>The overview; with paging, <see cref="TotalUnits"/> counts the units of every page (after the filter).</summary>
public sealed record DashboardView(string LastFullMonth, DateTimeOffset? AsOf, IReadOnlyList<DashboardIndicator> Indicators,
    IReadOnlyList<DashboardUnit> Units)
{
    public int? TotalUnits { get; init; }
    public int? Page { get; init; }
    public int? PageSize { get; init; }
}

/// <summary>
/// What the overview needs of one series, whatever the day it is read: its chart's icons and recent signals, its
/// latest value, and the span and number of its months (missing and overdue months follow from those and the day).
/// Kept current in <c>rm_dashboard_cells</c> as values arrive, so the overview reads instead of charting.
/// </summary>
public sealed record DashboardCellState(string IndicatorId, string UnitId, string FirstPeriod, string LastPeriod, int Months,
    string? LatestPeriod, double? LatestValue, string? VariationIcon, string? AssuranceIcon, int ImprovementSignals,
    int ConcernSignals);

/// <summary>
/// The programme overview: for each unit and indicator the latest value, its variation and assurance icons, the
/// improvement and concern signals of the last 12 months, and whether data are missing or overdue. Pure.
/// </summary>
public static class ProgrammeDashboard
{
    public const int RecentMonths = 12;

    public static DashboardView Build(IReadOnlyList<UnitDefinedV1> units, IReadOnlyList<IndicatorDefinedV1> indicators,
        IReadOnlyDictionary<(string IndicatorId, string UnitId), List<MonthlyValue>> values, DateOnly today, DateTimeOffset? asOf)
    {
        var cells = new Dictionary<(string, string), DashboardCellState>();
        foreach (var indicator in indicators)
            foreach (var unit in units)
                if (values.TryGetValue((indicator.IndicatorId, unit.UnitId), out var series)
                    && Cell(indicator, unit.UnitId, series, asOf) is { } cell)
                    cells[(indicator.IndicatorId, unit.UnitId)] = cell;
        return Assemble(units, indicators, cells, today, asOf);
    }

    /// <summary>One series' part of the overview, or null when it has no values.</summary>
    public static DashboardCellState? Cell(IndicatorDefinedV1 indicator, string unitId, List<MonthlyValue> series,
        DateTimeOffset? asOf)
    {
        if (series.Count == 0) return null;
        var chart = SpcCharts.Build(indicator, unitId, series, new SpcQuery(null, [], false, RuleSet.MakingDataCount, asOf));
        var latest = chart.Points.LastOrDefault(p => p.Value is not null);
        var recent = chart.Points.TakeLast(RecentMonths).ToList();
        return new DashboardCellState(indicator.IndicatorId, unitId, chart.Points[0].Period, chart.Points[^1].Period,
            series.Count, latest?.Period, latest?.Value, chart.VariationIcon, chart.AssuranceIcon,
            recent.Count(p => p.PointType == "improvement"), recent.Count(p => p.PointType == "concern"));
    }

    /// <summary>The overview of these units (those with any cell), intervention units first.</summary>
    public static DashboardView Assemble(IReadOnlyList<UnitDefinedV1> units, IReadOnlyList<IndicatorDefinedV1> indicators,
        IReadOnlyDictionary<(string IndicatorId, string UnitId), DashboardCellState> cells, DateOnly today, DateTimeOffset? asOf)
    {
        var lastFullMonth = Months.Format(new DateOnly(today.Year, today.Month, 1).AddMonths(-1));
        var rows = new List<DashboardUnit>();
        foreach (var unit in units)
        {
            var states = indicators.Select(i => cells.GetValueOrDefault((i.IndicatorId, unit.UnitId))).OfType<DashboardCellState>()
                .ToList();
            if (states.Count == 0) continue;
            var unitCells = states.Select(c => new DashboardCell(c.IndicatorId, c.LatestPeriod, c.LatestValue, c.VariationIcon,
                c.AssuranceIcon, c.ImprovementSignals, c.ConcernSignals,
                Math.Max(0, MonthsBetween(c.FirstPeriod, lastFullMonth) - c.Months),
                string.CompareOrdinal(c.LastPeriod, lastFullMonth) < 0)).ToList();
            var missing = unitCells.Sum(c => c.MonthsMissing);
            var expectedTotal = missing + states.Sum(c => c.Months);
            rows.Add(new DashboardUnit(unit.UnitId, unit.Name, unit.Role, unit.GoLive,
                unitCells.Sum(c => c.ImprovementSignals), unitCells.Sum(c => c.ConcernSignals),
                expectedTotal == 0 ? 1 : 1 - missing / (double)expectedTotal, unitCells.Count(c => c.Overdue), unitCells));
        }
        return new DashboardView(lastFullMonth, asOf,
            indicators.Select(i => new DashboardIndicator(i.IndicatorId, i.Name, i.Domain, i.Measure, i.Improvement, i.Chart,
                i.UnitLabel)).ToList(),
            rows.OrderBy(u => RoleOrder.GetValueOrDefault(u.Role, 2)).ThenBy(u => u.UnitId, StringComparer.Ordinal).ToList());
    }

    private static readonly Dictionary<string, int> RoleOrder = new() { ["intervention"] = 0, ["comparison"] = 1 };

    /// <summary>Units in the overview's order: intervention units first, then comparison units, then the rest.</summary>
    public static IEnumerable<UnitDefinedV1> Ordered(IEnumerable<UnitDefinedV1> units) =>
        units.OrderBy(u => RoleOrder.GetValueOrDefault(u.Role, 2)).ThenBy(u => u.UnitId, StringComparer.Ordinal);

    /// <summary>Months from <paramref name="first"/> to <paramref name="last"/>, both included (0 when last is earlier).</summary>
    public static int MonthsBetween(string first, string last)
    {
        var a = Months.Parse(first);
        var b = Months.Parse(last);
        return Math.Max(0, (b.Year - a.Year) * 12 + b.Month - a.Month + 1);
    }
}

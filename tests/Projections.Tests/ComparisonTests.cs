using Icp.Contracts.Indicators;
using Icp.Projections.Comparison;
using Icp.Projections.Spc;
using Icp.Spc;
using Xunit;

namespace Icp.Projections.Tests;

public sealed class ComparisonTests
{
    private static readonly IndicatorDefinedV1 Contacts = new("contacts", "Contacts", "System flow", "count", "increase", null, "xmr", null, null);

    // 18 months from January 2024 alternating 8, 16; limits fixed on the first 12 (mean 12, AMR 8, limits 12 ± 21.28).
    private static SpcChartView Chart(string unit, Dictionary<int, double> overrides)
    {
        var values = Enumerable.Range(0, 18).Select(i => new MonthlyValue(new DateOnly(2024, 1, 1).AddMonths(i).ToString("yyyy-MM"),
            overrides.TryGetValue(i, out var v) ? v : i % 2 == 0 ? 8 : 16, null, null)).ToList();
        return SpcCharts.Build(Contacts, unit, values, new SpcQuery(12, [], false, RuleSet.MakingDataCount, null));
    }

    [Fact]
    public void A_special_cause_seen_on_the_same_side_in_a_comparison_unit_is_shared_otherwise_unique()
    {
        var east = Chart("east", new() { [15] = 60, [17] = 60 });   // April and June 2025 above 33.28
        var west = Chart("west", new() { [15] = 60 });              // April 2025 above too
        var north = Chart("north", new() { [17] = -20 });           // June 2025, but below -9.28

        var signals = PeerComparison.Assess(east, [west, north]);

        Assert.Equal(2, signals.Count);
        Assert.Equal(("2025-04", "improvement", "astronomical", "high", "shared"), (signals[0].Period, signals[0].PointType, signals[0].Rule, signals[0].Side, signals[0].Verdict));
        Assert.Equal(["west"], signals[0].SharedWith);
        Assert.Equal(("2025-06", "high", "unique"), (signals[1].Period, signals[1].Side, signals[1].Verdict));
        Assert.Empty(signals[1].SharedWith);
    }

    [Fact]
    public void Comparison_units_are_comparison_neighbourhoods_of_the_same_system_in_any_locality()
    {
        var east = new UnitDefinedV1("east", "East", "neighbourhood", "north-locality", "intervention", "2024-10");
        UnitDefinedV1[] units =
        [
            new("camden", "Camden", "system", null, "none", null),
            new("north-locality", "North locality", "locality", "camden", "none", null),
            new("south-locality", "South locality", "locality", "camden", "none", null),
            east,
            new("west", "West", "neighbourhood", "north-locality", "comparison", null),
            new("south", "South", "neighbourhood", "south-locality", "comparison", null),
            new("north", "North", "neighbourhood", "north-locality", "none", null),
            new("team-a", "Team A", "team", "north-locality", "comparison", null),
            new("islington", "Islington", "system", null, "none", null),
            new("elsewhere", "Elsewhere", "neighbourhood", "islington", "comparison", null),
        ];
        Assert.Equal(["south", "west"], PeerComparison.ComparisonUnits(east, units).Select(u => u.UnitId));
    }

    [Fact]
    public void The_default_baseline_is_the_months_before_go_live()
    {
        var values = Enumerable.Range(0, 30).Select(i => new MonthlyValue(new DateOnly(2023, 1, 1).AddMonths(i).ToString("yyyy-MM"), 1, null, null)).ToList();
        Assert.Equal(21, PeerComparison.MonthsBefore(values, "2024-10")); // Jan 2023 - Sep 2024
        Assert.Equal(0, PeerComparison.MonthsBefore(values, null));
    }
}

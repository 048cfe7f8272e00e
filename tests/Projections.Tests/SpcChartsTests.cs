using Icp.Contracts.Indicators;
using Icp.Projections.Spc;
using Icp.Spc;
using Xunit;

namespace Icp.Projections.Tests;

public sealed class SpcChartsTests
{
    private static IndicatorDefinedV1 Indicator(string measure, string chart, string improvement = "increase", double? target = null) =>
        new("ind", "Indicator", "Efficiency", measure, improvement, target, chart, null, null);

    private static readonly SpcQuery Defaults = new(null, [], false, RuleSet.MakingDataCount, null);

    [Fact]
    public void A_missing_month_is_a_gap_and_the_limits_come_from_the_months_present()
    {
        // 10, 12, 11, (April missing), 13: mean = 46/4 = 11.5; moving ranges bridge the gap: 2, 1, 2 -> AMR = 5/3;
        // UPL = 11.5 + 2.66 * 5/3 = 15.9333..., LPL = 11.5 - 4.4333... = 7.0666...
        MonthlyValue[] values =
        [
            new("2024-01", 10, null, null), new("2024-02", 12, null, null), new("2024-03", 11, null, null), new("2024-05", 13, null, null),
        ];
        var chart = SpcCharts.Build(Indicator("count", "xmr"), "east", values, Defaults);

        Assert.Equal(["2024-01", "2024-02", "2024-03", "2024-04", "2024-05"], chart.Points.Select(p => p.Period));
        var gap = chart.Points[3];
        Assert.Null(gap.Value);
        Assert.True(gap.Unplottable);
        Assert.Null(gap.PointType);
        var first = chart.Points[0];
        Assert.Equal(11.5, first.Mean!.Value, 12);
        Assert.Equal(11.5 + 2.66 * 5 / 3, first.Upl!.Value, 12);
        Assert.Equal(11.5 - 2.66 * 5 / 3, first.Lpl!.Value, 12);
        Assert.Equal("common_cause", first.PointType);
        Assert.Equal("common_cause", chart.VariationIcon);
        Assert.True(chart.Provisional); // 4 points: fewer than 12
        Assert.Equal("2024-01", Assert.Single(chart.Phases).Start);
    }

    [Fact]
    public void A_proportion_month_of_nothing_over_nothing_is_unplottable_and_left_out_of_the_centre_line()
    {
        // 41/57, 30/50, 0/0: p-bar = 71/107.
        MonthlyValue[] values = [new("2025-01", null, 41, 57), new("2025-02", null, 30, 50), new("2025-03", null, 0, 0)];
        var chart = SpcCharts.Build(Indicator("proportion", "p", target: 0.75), "east", values, Defaults);

        Assert.Equal(41.0 / 57, chart.Points[0].Value!.Value, 12);
        Assert.Equal(71.0 / 107, chart.Points[0].Mean!.Value, 12);
        var sigma = Math.Sqrt(71.0 / 107 * (36.0 / 107) / 57);
        Assert.Equal(71.0 / 107 + 3 * sigma, chart.Points[0].Upl!.Value, 12);
        Assert.True(chart.Points[2].Unplottable);
        Assert.Equal(0, chart.Points[2].Numerator);
        Assert.Equal(0, chart.Points[2].Denominator);
        Assert.Equal(71.0 / 107, Assert.Single(chart.Phases).Mean!.Value, 12);
    }

    [Fact]
    public void Rebase_months_start_new_phases_and_months_outside_the_chart_are_ignored()
    {
        var values = Enumerable.Range(0, 6).Select(i => new MonthlyValue($"2024-{i + 1:00}", i < 3 ? 10 + i % 2 : 20 + i % 2, null, null)).ToArray();
        var query = Defaults with { Rebase = ["2024-04", "2030-01"] };
        var chart = SpcCharts.Build(Indicator("count", "xmr"), "east", values, query);

        Assert.Equal(["2024-01", "2024-04"], chart.Phases.Select(p => p.Start));
        Assert.Equal(["2024-03", "2024-06"], chart.Phases.Select(p => p.End));
        Assert.Equal((10 + 11 + 10) / 3.0, chart.Phases[0].Mean!.Value, 12);
        Assert.Equal((21 + 20 + 21) / 3.0, chart.Phases[1].Mean!.Value, 12);
    }

    [Fact]
    public void Bad_options_are_each_named()
    {
        var (query, errors) = SpcQuery.Parse("5", "2024-13,2024-02", "maybe", "western-electric", "yesterday");
        Assert.Null(query);
        Assert.Equal(["asOf", "baselinePoints", "rebase", "rules", "screenMovingRanges"], errors.Select(e => e.Field).Order());
    }

    [Fact]
    public void Good_options_are_read()
    {
        var (query, errors) = SpcQuery.Parse("12", "2024-10, 2023-04", "true", "anhoej", "2025-04-01T00:00:00Z");
        Assert.Empty(errors);
        Assert.Equal(12, query!.BaselinePoints);
        Assert.Equal(["2023-04", "2024-10"], query.Rebase);
        Assert.True(query.ScreenMovingRanges);
        Assert.Equal(RuleSet.Anhoej, query.Rules);
        Assert.Equal(new DateTimeOffset(2025, 4, 1, 0, 0, 0, TimeSpan.Zero), query.AsOf);
    }
}

public sealed class IndicatorChartSettingsTests
{
    private static readonly SpcQuery Defaults = new(null, [], false, RuleSet.MakingDataCount, null);

    [Fact]
    public void An_indicators_configured_phases_apply_unless_the_caller_names_others()
    {
        var indicator = new IndicatorDefinedV1("ind", "Contacts", "System flow", "count", "increase", null, "xmr", null, null, Phases: ["2024-04"]);
        var values = Enumerable.Range(0, 6).Select(i => new MonthlyValue($"2024-{i + 1:00}", i < 3 ? 10 : 20, null, null)).ToArray();

        Assert.Equal(["2024-01", "2024-04"], SpcCharts.Build(indicator, "east", values, Defaults).Phases.Select(p => p.Start));
        Assert.Equal(["2024-01", "2024-03"], SpcCharts.Build(indicator, "east", values, Defaults with { Rebase = ["2024-03"] }).Phases.Select(p => p.Start));
    }

    [Fact]
    public void An_indicators_shift_length_decides_whether_six_points_on_one_side_are_a_signal()
    {
        // 20, 10 alternating for 8 months (ending on 10), then 16 six times. Mean = (8 x 15 + 6 x 16) / 14 = 15.43: the
        // 16s are six in a row above it, after a point below. Moving ranges 7 x 10, 6, 5 x 0 -> AMR = 76 / 13 = 5.85;
        // limits 15.43 ± 15.55, near limits ± 10.37 (5.06 to 25.80): no point beyond either, no trend (equal values break it).
        var values = Enumerable.Range(0, 14).Select(i => new MonthlyValue(new DateOnly(2024, 1, 1).AddMonths(i).ToString("yyyy-MM"),
            i < 8 ? (i % 2 == 0 ? 20 : 10) : 16, null, null)).ToArray();
        IndicatorDefinedV1 Indicator(int? shift) => new("ind", "Contacts", "System flow", "count", "increase", null, "xmr", null, null, ShiftLength: shift);

        var six = SpcCharts.Build(Indicator(6), "east", values, Defaults);
        Assert.All(six.Points.Skip(8), p => Assert.Equal(("improvement", "shift"), (p.PointType, p.Rule)));
        Assert.All(six.Points.Take(8), p => Assert.Equal("common_cause", p.PointType));

        var seven = SpcCharts.Build(Indicator(null), "east", values, Defaults);
        Assert.All(seven.Points, p => Assert.Equal("common_cause", p.PointType));
    }
}

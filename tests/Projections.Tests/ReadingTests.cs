using Icp.Contracts.Indicators;
using Icp.Projections.Comparison;
using Icp.Projections.Spc;
using Icp.Spc;
using Xunit;

namespace Icp.Projections.Tests;

/// <summary>The written readings against chart states worked out by hand (the limits as in DashboardTests).</summary>
public sealed class ReadingTests
{
    private static readonly IndicatorDefinedV1 Contacts =
        new("contacts", "Contacts", "System flow", "count", "increase", null, "xmr", null, null);

    private static readonly SpcQuery Defaults = new(null, [], false, RuleSet.MakingDataCount, null);

    private static List<MonthlyValue> Months(params double[] values) => values
        .Select((v, i) => new MonthlyValue(new DateOnly(2024, 1, 1).AddMonths(i).ToString("yyyy-MM"), v, null, null)).ToList();

    private static double[] Alternating(int n) => Enumerable.Range(0, n).Select(i => i % 2 == 0 ? 8.0 : 16.0).ToArray();

    [Fact]
    public void A_chart_of_common_cause_variation_says_nothing_has_changed()
    {
        // 8, 16, 8, …: mean 12, every moving range 8, limits 12 ± 21.3: no point beyond them, no run of 7, no trend.
        var chart = SpcCharts.Build(Contacts, "east", Months(Alternating(18)), Defaults);
        Assert.Equal("Contacts in East shows common-cause variation only since Jan 2024: nothing suggests the process has changed.",
            Readings.ForChart(chart, "Contacts", "East", false));
    }

    [Fact]
    public void A_point_beyond_the_limits_is_read_as_improvement_since_its_month_and_says_SPC_cannot_give_the_cause()
    {
        // DashboardTests' East: 60 in Apr and Jun 2025 above UPL 58.82; the latest special cause is June's, alone.
        var values = Alternating(18);
        values[15] = values[17] = 60;
        var chart = SpcCharts.Build(Contacts, "east", Months(values), Defaults);
        Assert.Equal("Contacts in East has shown improvement since Jun 2025 (a point beyond the process limits); SPC shows " +
            "that the process changed, not why.", Readings.ForChart(chart, "Contacts", "East", false));
        // Where lower is better the same points are a concern.
        var worse = SpcCharts.Build(Contacts with { Improvement = "decrease" }, "east", Months(values), Defaults);
        Assert.StartsWith("Contacts in East has shown a cause for concern since Jun 2025", Readings.ForChart(worse, "Contacts", "East", false));
    }

    [Fact]
    public void A_shift_is_dated_from_the_first_point_of_its_run()
    {
        // 12 months alternating 9 and 11, then 8 months at 11.5: mean (120 + 92) / 20 = 10.6. December 2024 (11) and the
        // 8 months after it are all above it: a run of 9 (a shift is 7 or more) from December; AMR (11 × 2 + 0.5) / 19
        // = 1.18, UPL 13.75: nothing beyond the limits.
        var values = Enumerable.Range(0, 12).Select(i => i % 2 == 0 ? 9.0 : 11.0).Concat(Enumerable.Repeat(11.5, 8)).ToArray();
        var chart = SpcCharts.Build(Contacts, "east", Months(values), Defaults);
        Assert.Equal("Contacts in East has shown improvement since Dec 2024 (a shift: a run of points on one side of the mean); " +
            "SPC shows that the process changed, not why.", Readings.ForChart(chart, "Contacts", "East", false));
    }

    [Fact]
    public void The_target_is_read_from_the_assurance_icon()
    {
        // Limits 12 ± 21.3 = −9.3 .. 33.3: a target of 40 lies beyond the upper (better) limit, one of 5 inside them.
        var missed = SpcCharts.Build(Contacts with { Target = 40 }, "east", Months(Alternating(18)), Defaults);
        Assert.EndsWith("If nothing changes, the 40 target will not be met: it lies beyond the process limits on the better side.",
            Readings.ForChart(missed, "Contacts", "East", false));
        var sometimes = SpcCharts.Build(Contacts with { Target = 5 }, "east", Months(Alternating(18)), Defaults);
        Assert.EndsWith("The 5 target is sometimes met and sometimes missed: it lies within the process limits.",
            Readings.ForChart(sometimes, "Contacts", "East", false));
    }

    [Fact]
    public void A_comparison_reading_says_whether_the_latest_special_cause_is_the_units_own()
    {
        // East jumps in Apr and Jun 2025, West in April only: June is East's own.
        var east = Alternating(18);
        east[15] = east[17] = 60;
        var west = Alternating(18);
        west[15] = 60;
        var eastChart = SpcCharts.Build(Contacts, "east", Months(east), Defaults);
        var westChart = SpcCharts.Build(Contacts, "west", Months(west), Defaults);
        var signals = PeerComparison.Assess(eastChart, [westChart]);
        var view = new ComparisonView("contacts", "east", "2025-01", null, ["west"], eastChart, [westChart], signals,
            signals.Count(s => s.Verdict == PeerComparison.Unique), signals.Count(s => s.Verdict == PeerComparison.Shared), []);
        Assert.EndsWith("It is not seen in the one comparison unit at the same time, so it is worth looking for what is " +
            "different here.", Readings.ForComparison(view, "Contacts", "East", false));

        // Had West jumped in June too, the reading would name it.
        west[17] = 60;
        var westToo = SpcCharts.Build(Contacts, "west", Months(west), Defaults);
        var shared = PeerComparison.Assess(eastChart, [westToo]);
        Assert.EndsWith("It is also seen in west (1 of 1 comparison unit), which points to something shared rather than local.",
            Readings.ForComparison(view with { Comparisons = [westToo], Signals = shared }, "Contacts", "East", false));
    }
}

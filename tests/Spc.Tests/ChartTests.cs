using static Icp.Spc.Tests.TestData;

namespace Icp.Spc.Tests;

/// <summary>Hand-worked checks of limits, phases, baselines, exclusions and gaps.</summary>
public sealed class ChartTests
{
    private const int Precision = 10;

    [Fact]
    public void Missing_values_leave_gaps_and_moving_ranges_bridge_them()
    {
        // Usable values 10,12,11,13,10,12,11,13,12,10,11,12: 12 points, sum 137, mean 137/12 = 11.41667.
        // Moving ranges bridge the gaps (12→11 across index 2, 11→13 across index 8):
        // 2,1,2,3,2,1,2,1,2,1,1 = 18 over 11, AMR 1.63636. Counting the gaps as zero would give a mean of 137/14.
        var result = Xmr([10, 12, null, 11, 13, 10, 12, 11, null, 13, 12, 10, 11, 12]);

        var phase = result.Phases[0];
        Assert.Equal(12, phase.N);
        Assert.Equal(137.0 / 12, phase.Mean!.Value, Precision);
        Assert.Equal(18.0 / 11, phase.Amr!.Value, Precision);
        Assert.Equal(137.0 / 12 + 2.66 * 18.0 / 11, phase.Upl!.Value, Precision);
        Assert.Equal(137.0 / 12 - 2.66 * 18.0 / 11, phase.Lpl!.Value, Precision);
        Assert.False(result.IsProvisional);

        foreach (int gap in new[] { 2, 8 })
        {
            var point = result.Points[gap];
            Assert.True(point.Unplottable);
            Assert.True(point.Excluded);
            Assert.Equal(UnplottableReason.MissingValue, point.UnplottableReason);
            Assert.Null(point.Value);
            Assert.Null(point.Mean);
            Assert.Null(point.Upl);
            Assert.Null(point.PointType);
            Assert.Null(point.Rule);
        }
        Assert.Equal(12, result.Anhoej.NUseful);
    }

    [Fact]
    public void Zero_and_missing_denominators_are_unplottable_and_left_out_of_a_p_chart()
    {
        // Index 2 is 0/0, index 13 has no denominator, index 14 is 3/0. The other 12 points have denominator 20 and
        // numerators 10,12,9,11,10,12,11,9,10,11,12,8: Σ = 125 over Σden = 240, p̄ = 125/240 = 0.520833.
        // σ = sqrt(p̄(1 − p̄)/20) = sqrt(125/240 · 115/240 / 20) = 0.111705; limits p̄ ± 3σ = 0.18572 / 0.85595.
        double?[] numerators = [10, 12, 0, 9, 11, 10, 12, 11, 9, 10, 11, 12, 8, 5, 3];
        double?[] denominators = [20, 20, 0, 20, 20, 20, 20, 20, 20, 20, 20, 20, 20, null, 0];

        var result = SpcEngine.Calculate(numerators, denominators, new SpcOptions { Chart = ChartType.P });

        double pBar = 125.0 / 240;
        double sigma = Math.Sqrt(125.0 / 240 * (115.0 / 240) / 20);
        Assert.Equal(pBar, result.Phases[0].Mean!.Value, Precision);
        Assert.Equal(12, result.Phases[0].N);
        Assert.Equal(pBar + 3 * sigma, result.Points[0].Upl!.Value, Precision);
        Assert.Equal(pBar - 3 * sigma, result.Points[0].Lpl!.Value, Precision);
        Assert.Equal(pBar + 2 * sigma, result.Points[0].Nupl!.Value, Precision);
        Assert.Equal(0.5, result.Points[0].Value!.Value, Precision);

        Assert.Equal(UnplottableReason.ZeroDenominator, result.Points[2].UnplottableReason);
        Assert.Equal(UnplottableReason.MissingDenominator, result.Points[13].UnplottableReason);
        Assert.Equal(UnplottableReason.ZeroDenominator, result.Points[14].UnplottableReason);
        foreach (int index in new[] { 2, 13, 14 })
        {
            Assert.True(result.Points[index].Unplottable);
            Assert.Null(result.Points[index].Value);
            Assert.Null(result.Points[index].PointType);
        }
        // The last point is unplottable, so the icon comes from index 12 (8/20 = 0.4, inside the limits).
        Assert.Equal(VariationIcon.CommonCause, result.VariationIcon);
    }

    [Fact]
    public void A_phase_with_fewer_than_12_points_is_provisional_with_a_warning()
    {
        var eleven = Xmr([.. StableBaseline[..11].Select(v => (double?)v)]);
        var twelve = Xmr([.. StableBaseline.Select(v => (double?)v)]);

        Assert.True(eleven.IsProvisional);
        Assert.True(eleven.Phases[0].IsProvisional);
        var warning = Assert.Single(eleven.Warnings);
        Assert.Contains("provisional", warning);
        // Limits are still computed: 11 points 10,11,…,10 have mean 115/11 and all ten moving ranges 1.
        Assert.Equal(115.0 / 11 + 2.66, eleven.Phases[0].Upl!.Value, Precision);

        Assert.False(twelve.IsProvisional);
        Assert.Empty(twelve.Warnings);
    }

    [Fact]
    public void C_chart_limits_are_cbar_plus_or_minus_three_root_cbar_with_the_lower_clipped_at_zero()
    {
        // Baseline 3,5,4,6,5,7,4,5,6,5,4,6: Σ = 60, c̄ = 5. 3√5 = 6.7082 so the lower limit clips to 0 and the upper
        // is 11.7082; near limits 5 ± 2√5 = 0.5279 / 9.4721. Then 12 (> 11.7082: astronomical) and 0 (equal to the
        // clipped lower limit: not outside; it is close, but alone).
        var result = SpcEngine.Calculate(
            [3, 5, 4, 6, 5, 7, 4, 5, 6, 5, 4, 6, 12, 0],
            new SpcOptions { Chart = ChartType.C, BaselinePoints = 12 });

        var phase = result.Phases[0];
        Assert.Equal(5, phase.Mean!.Value, Precision);
        Assert.Equal(0, phase.Lpl!.Value);
        Assert.Equal(5 + 3 * Math.Sqrt(5), phase.Upl!.Value, Precision);
        Assert.Equal(5 - 2 * Math.Sqrt(5), phase.Nlpl!.Value, Precision);
        Assert.Equal(5 + 2 * Math.Sqrt(5), phase.Nupl!.Value, Precision);
        Assert.Null(phase.Amr);
        Assert.Equal([.. Repeat("-", 12), "astronomical", "-"], Rules(result));
        Assert.Equal(PointType.Improvement, result.Points[12].PointType);
    }

    [Fact]
    public void Excluded_points_are_returned_but_not_used_for_limits_or_rules()
    {
        // 10,11,10,11,10,11,[50],10,11,10,11,10,11 with index 6 excluded (known data fault).
        // The other 12 alternate 10/11: mean 10.5; the moving range bridges 11 → 10 across index 6, so every MR is 1
        // and AMR = 1. Included, 50 would be astronomical and would inflate the mean and the AMR.
        var result = Xmr([10, 11, 10, 11, 10, 11, 50, 10, 11, 10, 11, 10, 11], new SpcOptions { ExcludedIndexes = [6] });

        Assert.Equal(12, result.Phases[0].N);
        Assert.Equal(BaselineMean, result.Phases[0].Mean!.Value, Precision);
        Assert.Equal(1, result.Phases[0].Amr!.Value, Precision);
        Assert.Equal(BaselineUpl, result.Phases[0].Upl!.Value, Precision);

        var excluded = result.Points[6];
        Assert.True(excluded.Excluded);
        Assert.True(excluded.ExcludedByOption);
        Assert.False(excluded.Unplottable);
        Assert.Equal(50, excluded.Value);
        Assert.Equal(BaselineUpl, excluded.Upl!.Value, Precision); // drawn against the phase's limits
        Assert.Null(excluded.PointType);
        Assert.Null(excluded.Rule);
        Assert.Equal(Repeat("-", 13), Rules(result));
        Assert.Equal(12, result.Anhoej.NUseful);
        Assert.Equal(VariationIcon.CommonCause, result.VariationIcon);
    }

    [Fact]
    public void An_excluded_last_point_does_not_set_the_icons()
    {
        // The last value (30) would be astronomical, but it is excluded, so the icon comes from the 11 before it.
        var result = Xmr([.. StableBaseline.Select(v => (double?)v), 30], new SpcOptions { ExcludedIndexes = [12], Target = 20 });

        Assert.Equal(VariationIcon.CommonCause, result.VariationIcon);
        Assert.Equal(AssuranceIcon.ConsistentFail, result.AssuranceIcon); // 20 > 13.16 with increase = fail
    }

    [Fact]
    public void Rebase_starts_a_phase_with_its_own_limits_and_moving_ranges()
    {
        // Phase 0: the stable 10/11 baseline (mean 10.5, AMR 1). Phase 1 at index 12: 20/21 alternating, mean 20.5,
        // AMR 1. The jump 11 → 20 across the rebase is not a moving range of either phase.
        double?[] values = [.. StableBaseline.Select(v => (double?)v), .. StableBaseline.Select(v => (double?)(v + 10))];

        var result = Xmr(values, new SpcOptions { RebaseIndexes = [12] });

        Assert.Equal(2, result.Phases.Count);
        Assert.Equal((0, 11, 12), (result.Phases[0].Start, result.Phases[0].End, result.Phases[0].N));
        Assert.Equal((12, 23, 12), (result.Phases[1].Start, result.Phases[1].End, result.Phases[1].N));
        Assert.Equal(10.5, result.Phases[0].Mean!.Value, Precision);
        Assert.Equal(20.5, result.Phases[1].Mean!.Value, Precision);
        Assert.Equal(1, result.Phases[0].Amr!.Value, Precision);
        Assert.Equal(1, result.Phases[1].Amr!.Value, Precision);
        Assert.Equal(20.5 + 2.66, result.Points[23].Upl!.Value, Precision);
        Assert.Equal(1, result.Points[12].Phase);
        Assert.Equal(Repeat("-", 24), Rules(result));

        // Without the rebase: mean 15.5, MRs 22 ones and one 9 → AMR 31/23 = 1.348, limits 15.5 ± 3.585 = 11.915 / 19.085,
        // so every point is astronomical.
        var unphased = Xmr(values);
        Assert.Equal(Repeat("astronomical", 24), Rules(unphased));
    }

    [Fact]
    public void Baseline_points_fix_the_limits_on_the_first_n_points_and_extend_them()
    {
        // 12 baseline points (mean 10.5, AMR 1), then 30 ×3: judged against the frozen limits, all astronomical.
        var result = XmrAfterBaseline([30, 30, 30]);

        var phase = result.Phases[0];
        Assert.Equal(15, phase.N);
        Assert.Equal(12, phase.BaselinePoints);
        Assert.Equal(BaselineMean, phase.Mean!.Value, Precision);
        Assert.Equal(1, phase.Amr!.Value, Precision);
        Assert.Equal(BaselineUpl, phase.Upl!.Value, Precision);
        Assert.Equal(BaselineNupl, phase.Nupl!.Value, Precision);
        Assert.Equal(BaselineNlpl, phase.Nlpl!.Value, Precision);
        Assert.Equal(BaselineLpl, phase.Lpl!.Value, Precision);
        Assert.Equal([.. Repeat("-", 12), .. Repeat("astronomical", 3)], Rules(result));
        Assert.Equal(VariationIcon.ImprovementHigh, result.VariationIcon);
    }

    [Fact]
    public void Baseline_points_beyond_the_phase_use_every_point()
    {
        var result = Xmr([.. StableBaseline.Select(v => (double?)v)], new SpcOptions { BaselinePoints = 24 });

        Assert.Equal(12, result.Phases[0].BaselinePoints);
        Assert.Equal(BaselineMean, result.Phases[0].Mean!.Value, Precision);
    }

    [Fact]
    public void Screening_drops_moving_ranges_of_at_least_3_267_times_the_average_once()
    {
        // 10,11,10,11,10,11,10,11,10,11,10,30: MRs ten 1s and one 20 → AMR 30/11 = 2.727; cut-off 8.91 drops the 20,
        // leaving ten 1s: AMR 1. Mean = (5·10 + 5·11 + 10 + 30)/12 = 145/12.
        double?[] values = [10, 11, 10, 11, 10, 11, 10, 11, 10, 11, 10, 30];

        var screened = Xmr(values, new SpcOptions { ScreenMovingRanges = true });
        var unscreened = Xmr(values);

        Assert.Equal(1, screened.Phases[0].Amr!.Value, Precision);
        Assert.Equal(30.0 / 11, unscreened.Phases[0].Amr!.Value, Precision);
        Assert.Equal(145.0 / 12, screened.Phases[0].Mean!.Value, Precision);
    }

    [Fact]
    public void U_chart_upper_limit_is_not_clipped_and_lower_is_clipped_at_zero()
    {
        // Numerators 2 ×12 over exposure 1: ū = 2, σ = √2; lower 2 − 3√2 < 0 → 0, upper 2 + 3√2 = 6.243.
        double?[] numerators = [.. Repeat("x", 12).Select(_ => (double?)2)];
        double?[] exposure = [.. Repeat("x", 12).Select(_ => (double?)1)];

        var result = SpcEngine.Calculate(numerators, exposure, new SpcOptions { Chart = ChartType.U });

        Assert.Equal(0, result.Points[0].Lpl!.Value);
        Assert.Equal(2 + 3 * Math.Sqrt(2), result.Points[0].Upl!.Value, Precision);
        Assert.Equal(2 + 2 * Math.Sqrt(2), result.Points[0].Nupl!.Value, Precision);
        // Every point sits on the centre: no useful points for the runs analysis.
        Assert.Equal(new AnhoejResult(0, null, null, null, null, false), result.Anhoej);
    }

    [Fact]
    public void Assurance_compares_the_target_with_the_last_limits()
    {
        // Limits 7.84 / 13.16.
        static AssuranceIcon? Assurance(double? target, ImprovementDirection direction) =>
            Xmr([.. StableBaseline.Select(v => (double?)v)], new SpcOptions { Target = target, Improvement = direction }).AssuranceIcon;

        Assert.Equal(AssuranceIcon.ConsistentFail, Assurance(14, ImprovementDirection.Increase));
        Assert.Equal(AssuranceIcon.ConsistentPass, Assurance(7, ImprovementDirection.Increase));
        Assert.Equal(AssuranceIcon.Inconsistent, Assurance(10, ImprovementDirection.Increase));
        Assert.Equal(AssuranceIcon.ConsistentPass, Assurance(14, ImprovementDirection.Decrease));
        Assert.Equal(AssuranceIcon.ConsistentFail, Assurance(7, ImprovementDirection.Decrease));
        Assert.Equal(AssuranceIcon.Inconsistent, Assurance(BaselineUpl, ImprovementDirection.Increase));
        Assert.Null(Assurance(14, ImprovementDirection.Neutral));
        Assert.Null(Assurance(null, ImprovementDirection.Increase));
    }

    [Fact]
    public void A_laney_chart_with_no_events_collapses_its_limits_onto_zero_without_failing()
    {
        // 12 months of 0 out of 50: p̄ = 0, so every σ is 0 and σz cannot be formed; the limits are all 0.
        double?[] numerators = [.. Repeat("x", 12).Select(_ => (double?)0)];
        double?[] denominators = [.. Repeat("x", 12).Select(_ => (double?)50)];

        var result = SpcEngine.Calculate(numerators, denominators, new SpcOptions { Chart = ChartType.PPrime });

        Assert.Equal(0, result.Phases[0].Mean);
        Assert.Null(result.Phases[0].SigmaZ);
        Assert.All(result.Points, p => Assert.Equal((0.0, 0.0), (p.Lpl!.Value, p.Upl!.Value)));
        Assert.All(result.Points, p => Assert.Equal(PointType.CommonCause, p.PointType));
        Assert.Empty(result.Warnings);
    }

    [Fact]
    public void An_empty_series_gives_an_empty_chart()
    {
        var result = Xmr([]);

        Assert.Empty(result.Points);
        Assert.Single(result.Phases);
        Assert.Null(result.VariationIcon);
        Assert.Equal(0, result.Anhoej.NUseful);
        Assert.True(result.IsProvisional);
    }

    [Fact]
    public void A_single_point_has_a_mean_but_no_xmr_limits()
    {
        var result = Xmr([5]);

        Assert.Equal(5, result.Points[0].Mean);
        Assert.Null(result.Points[0].Upl);
        Assert.Equal(PointType.CommonCause, result.Points[0].PointType);
        Assert.Equal(2, result.Warnings.Count); // provisional, and no limits without a moving range
        Assert.Null(result.AssuranceIcon);
    }
}

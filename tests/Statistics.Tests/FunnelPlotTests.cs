using Icp.Statistics;
using Xunit;

namespace Icp.Statistics.Tests;

/// <summary>
/// Worked by hand (calculator, not this code) from the published method: Spiegelhalter 2005 (z-scores against the
/// pooled target, winsorised φ) and Spiegelhalter et al. 2012 (additive τ²).
/// </summary>
public sealed class FunnelPlotTests
{
    // Ten units: denominators 100..1000, numerators as below; Σr = 655, Σn = 5,500.
    private static readonly FunnelUnit[] Units =
    [
        new("u1", 10, 100), new("u2", 30, 200), new("u3", 45, 300), new("u4", 40, 400), new("u5", 90, 500),
        new("u6", 60, 600), new("u7", 70, 700), new("u8", 120, 800), new("u9", 90, 900), new("u10", 100, 1000),
    ];

    [Fact]
    public void Without_adjustment_limits_are_the_pooled_proportion_plus_or_minus_z_standard_errors()
    {
        var result = FunnelPlot.Calculate(Units, FunnelMeasure.Proportion, OverdispersionAdjustment.None);

        // θ₀ = 655 / 5500 = 0.1190909.
        Assert.Equal(0.1190909091, result.Target, 9);
        // u1: s = √(0.1190909 × 0.8809091 / 100) = 0.0323895; z = (0.10 − 0.1190909) / 0.0323895 = −0.589416.
        var u1 = result.Points[0];
        Assert.Equal(-0.589416, u1.ZScore, 5);
        // 95%: 0.1190909 ± 1.959964 × 0.0323895 = 0.0556086 .. 0.1825733.
        Assert.Equal(0.0556086, u1.Limits.Lower95, 6);
        Assert.Equal(0.1825733, u1.Limits.Upper95, 6);
        Assert.Equal("within", u1.Position);
        // u5: s = √(0.1190909 × 0.8809091 / 500) = 0.0144850; z = (0.18 − 0.1190909) / 0.0144850 = 4.204964 — above
        // 99.8% (0.1190909 + 3.090232 × 0.0144850 = 0.1638531).
        var u5 = result.Points[4];
        Assert.Equal(4.204964, u5.ZScore, 5);
        Assert.Equal("above998", u5.Position);
        // u8: 0.15 against 95% upper 0.1415353 and 99.8% upper 0.1544785 for n = 800 → above95.
        Assert.Equal("above95", result.Points[7].Position);
        Assert.Equal(["u5", "u8"], result.Points.Where(p => p.Position != "within").Select(p => p.UnitId));
    }

    [Fact]
    public void Phi_is_the_mean_square_of_the_z_scores_winsorised_at_their_10th_and_90th_percentiles()
    {
        // Sorted z: −1.8639, −1.7682, −1.5594, −1.4438, −1.1788, −0.5894, 1.3496, 1.6529, 2.6991, 4.2050.
        // Type-7 10th percentile at position 0.9: −1.8639 + 0.9 × (−1.7682 + 1.8639) = −1.77781; 90th at 8.1:
        // 2.6991 + 0.1 × (4.2050 − 2.6991) = 2.84973. Winsorised: u10 → −1.77781, u5 → 2.84973.
        // Σz² = 0.34741 + 1.82135 + 2.73202 + 1.38964 + 8.12094 + 2.08447 + 2.43188 + 7.28539 + 3.12670 + 3.16061
        // = 32.5004; φ = 3.25004.
        Assert.Equal(-1.7778122, FunnelPlot.Quantile([-1.863896, -1.768247, -1.559448, -1.443768, -1.178832, -0.589416,
            1.349573, 1.652883, 2.699146, 4.204964], 0.1), 5);
        var result = FunnelPlot.Calculate(Units, FunnelMeasure.Proportion, OverdispersionAdjustment.Multiplicative);
        Assert.Equal(3.25004, result.Phi, 4);
        Assert.True(result.AdjustmentApplied);
        // u5's 99.8% limits widen by √φ = 1.802787: 0.1190909 ± 3.090232 × 0.0144850 × 1.802787 = 0.0383943 .. 0.1997875;
        // 0.18 is then only above 95% (0.1190909 + 1.959964 × 0.0144850 × 1.802787 = 0.1702723).
        var u5 = result.Points[4];
        Assert.Equal(0.0383943, u5.Limits.Lower998, 6);
        Assert.Equal(0.1997875, u5.Limits.Upper998, 6);
        Assert.Equal("above95", u5.Position);
        Assert.Equal(4.204964 / Math.Sqrt(3.25004179), u5.AdjustedZScore, 4);
        // A lower limit below 0 is drawn at 0 (u1's 99.8%: 0.1190909 − 3.090232 × 0.0323842 × 1.80279 < 0).
        Assert.Equal(0, result.Points[0].Limits.Lower998);
    }

    [Fact]
    public void Tau_squared_adds_the_between_unit_variance_left_over_by_chance()
    {
        // w = 1/s² = n / (θ₀(1 − θ₀)) = n / 0.1049083: Σw = 5500 / 0.1049083 = 52,426.76; Σw² = Σn² / 0.1049083²
        // = 3,850,000 / 0.01100574 = 349,817,333; Σw − Σw²/Σw = 52,426.76 − 6,672.50 = 45,754.26.
        // τ² = (kφ − (k − 1)) / 45,754.26 = (32.5004 − 9) / 45,754.26 = 0.000513623.
        var result = FunnelPlot.Calculate(Units, FunnelMeasure.Proportion, OverdispersionAdjustment.Additive);
        Assert.Equal(0.000513623, result.Tau2, 8);
        // u5 (n = 500): √(0.0144850² + 0.000513623) = √0.000723439 = 0.0268968; 95%: 0.1190909 ± 1.959964 × 0.0268968
        // = 0.0663741 .. 0.1718077, so 0.18 is above 95% but inside 99.8% (upper 0.1190909 + 3.090232 × 0.0268968).
        var u5 = result.Points[4];
        Assert.Equal(0.0663741, u5.Limits.Lower95, 6);
        Assert.Equal(0.1718077, u5.Limits.Upper95, 6);
        Assert.Equal("above95", u5.Position);
    }

    [Fact]
    public void Units_that_vary_no_more_than_chance_get_no_adjustment()
    {
        // Every unit at the pooled 10%: all z = 0, φ = 0, τ² = max(0, (0 − 9)/…) = 0: nothing to apply.
        var even = Enumerable.Range(1, 10).Select(i => new FunnelUnit($"u{i}", 10 * i, 100 * i)).ToList();
        var result = FunnelPlot.Calculate(even, FunnelMeasure.Proportion, OverdispersionAdjustment.Additive);
        Assert.Equal((0.1, 0.0, 0.0, false), (result.Target, result.Phi, result.Tau2, result.AdjustmentApplied));
        Assert.All(result.Points, p => Assert.Equal("within", p.Position));
    }

    [Fact]
    public void A_rate_uses_the_Poisson_standard_error_and_limits_from_zero()
    {
        // Events per person-year: 5 in 1,000, 30 in 2,000, 10 in 2,000; θ₀ = 45 / 5000 = 0.009.
        // s(2,000) = √(0.009 / 2000) = 0.00212132; 30/2000 = 0.015: z = 0.006 / 0.00212132 = 2.82843 → above95
        // (99.8% upper 0.009 + 3.090232 × 0.00212132 = 0.0155554).
        var result = FunnelPlot.Calculate([new("a", 5, 1000), new("b", 30, 2000), new("c", 10, 2000)], FunnelMeasure.Rate,
            OverdispersionAdjustment.None);
        Assert.Equal(0.009, result.Target, 12);
        Assert.Equal(2.828427, result.Points[1].ZScore, 5);
        Assert.Equal("above95", result.Points[1].Position);
        Assert.Equal(0.0155554, result.Points[1].Limits.Upper998, 6);
        Assert.Equal(0, result.LimitsFor(10).Lower998); // 0.009 − 3.09 × 0.03 < 0
    }

    [Fact]
    public void Units_without_a_denominator_are_left_out()
    {
        var result = FunnelPlot.Calculate([new("a", 5, 0), new("b", 10, 100)], FunnelMeasure.Proportion,
            OverdispersionAdjustment.None);
        Assert.Equal(["b"], result.Points.Select(p => p.UnitId));
        Assert.Empty(FunnelPlot.Calculate([], FunnelMeasure.Proportion, OverdispersionAdjustment.None).Points);
    }
}

namespace Icp.Statistics;

/// <summary>What the units' values are: shares of their denominators, or events per unit of exposure.</summary>
public enum FunnelMeasure { Proportion, Rate }

/// <summary>How limits allow for more variation between units than chance alone (overdispersion).</summary>
public enum OverdispersionAdjustment
{
    /// <summary>Limits from chance alone.</summary>
    None,
    /// <summary>Every variance scaled by φ (Spiegelhalter 2005), when φ &gt; 1.</summary>
    Multiplicative,
    /// <summary>A between-unit variance τ² added to every variance (random effects, Spiegelhalter et al. 2012).</summary>
    Additive,
}

public sealed record FunnelUnit(string UnitId, double Numerator, double Denominator);

/// <summary>Limits around the target for one denominator: 95% (about 2 SD) and 99.8% (about 3 SD).</summary>
public readonly record struct FunnelLimits(double Lower95, double Upper95, double Lower998, double Upper998);

/// <summary>One unit on the plot. <see cref="Position"/>: within, above95, above998, below95 or below998.</summary>
public sealed record FunnelPoint(string UnitId, double Numerator, double Denominator, double Value, double ZScore,
    double AdjustedZScore, FunnelLimits Limits, string Position);

public sealed record FunnelResult(FunnelMeasure Measure, OverdispersionAdjustment Adjustment, double Target, double Phi,
    double Tau2, bool AdjustmentApplied, IReadOnlyList<FunnelPoint> Points)
{
    /// <summary>The limits for any denominator, as drawn along the funnel.</summary>
    public FunnelLimits LimitsFor(double denominator) =>
        FunnelPlot.Limits(Measure, Target, denominator, AdjustmentApplied ? Adjustment : OverdispersionAdjustment.None, Phi, Tau2);
}

/// <summary>
/// Funnel plots for comparing units (Spiegelhalter 2005, "Funnel plots for comparing institutional performance";
/// Spiegelhalter et al. 2012 on overdispersion). The target is the pooled value (Σ numerators / Σ denominators); a
/// unit's standard error under the target is √(θ₀(1−θ₀)/n) for a proportion and √(θ₀/n) for a rate (normal
/// approximation); its z-score is (y − θ₀)/s. φ is the mean square of the z-scores after winsorising them at their 10th
/// and 90th percentiles (R's default, type 7, quantiles); τ² = max(0, (kφ − (k − 1)) / (Σw − Σw²/Σw)) with w = 1/s².
/// Limits are θ₀ ± z·s, with s² scaled by φ (multiplicative, when φ &gt; 1) or increased by τ² (additive), and kept
/// inside the measure's range (0 to 1 for a proportion, from 0 for a rate). Pure.
/// </summary>
public static class FunnelPlot
{
    public const double Z95 = 1.959963984540054;
    public const double Z998 = 3.090232306167813;
    public const double WinsorisedShare = 0.1;

    public static FunnelResult Calculate(IReadOnlyList<FunnelUnit> units, FunnelMeasure measure,
        OverdispersionAdjustment adjustment)
    {
        var usable = units.Where(u => u.Denominator > 0 && double.IsFinite(u.Numerator) && u.Numerator >= 0).ToList();
        var denominators = usable.Sum(u => u.Denominator);
        if (usable.Count == 0 || denominators <= 0)
            return new FunnelResult(measure, adjustment, double.NaN, double.NaN, double.NaN, false, []);
        var target = usable.Sum(u => u.Numerator) / denominators;
        var se = usable.Select(u => StandardError(measure, target, u.Denominator)).ToArray();
        var z = usable.Select((u, i) => se[i] > 0 ? (u.Numerator / u.Denominator - target) / se[i] : 0).ToArray();

        var (phi, tau2) = Overdispersion(z, se);
        var applied = adjustment switch
        {
            OverdispersionAdjustment.Multiplicative => phi > 1,
            OverdispersionAdjustment.Additive => tau2 > 0,
            _ => false,
        };
        var effective = applied ? adjustment : OverdispersionAdjustment.None;
        var points = usable.Select((u, i) =>
        {
            var value = u.Numerator / u.Denominator;
            var limits = Limits(measure, target, u.Denominator, effective, phi, tau2);
            var adjustedSe = effective switch
            {
                OverdispersionAdjustment.Multiplicative => se[i] * Math.Sqrt(phi),
                OverdispersionAdjustment.Additive => Math.Sqrt(se[i] * se[i] + tau2),
                _ => se[i],
            };
            return new FunnelPoint(u.UnitId, u.Numerator, u.Denominator, value, z[i],
                adjustedSe > 0 ? (value - target) / adjustedSe : 0, limits, Position(value, limits));
        }).ToList();
        return new FunnelResult(measure, adjustment, target, phi, tau2, applied, points);
    }

    public static double StandardError(FunnelMeasure measure, double target, double denominator) =>
        measure == FunnelMeasure.Proportion
            ? Math.Sqrt(target * (1 - target) / denominator)
            : Math.Sqrt(target / denominator);

    public static FunnelLimits Limits(FunnelMeasure measure, double target, double denominator,
        OverdispersionAdjustment adjustment, double phi, double tau2)
    {
        var s = StandardError(measure, target, denominator);
        var spread = adjustment switch
        {
            OverdispersionAdjustment.Multiplicative => s * Math.Sqrt(phi),
            OverdispersionAdjustment.Additive => Math.Sqrt(s * s + tau2),
            _ => s,
        };
        double Clamp(double v) => measure == FunnelMeasure.Proportion ? Math.Clamp(v, 0, 1) : Math.Max(0, v);
        return new FunnelLimits(Clamp(target - Z95 * spread), Clamp(target + Z95 * spread),
            Clamp(target - Z998 * spread), Clamp(target + Z998 * spread));
    }

    /// <summary>φ from the winsorised z-scores and the additive τ² it implies.</summary>
    public static (double Phi, double Tau2) Overdispersion(IReadOnlyList<double> z, IReadOnlyList<double> standardErrors)
    {
        var k = z.Count;
        if (k == 0) return (double.NaN, double.NaN);
        var low = Quantile(z, WinsorisedShare);
        var high = Quantile(z, 1 - WinsorisedShare);
        var phi = z.Sum(v => Math.Pow(Math.Clamp(v, low, high), 2)) / k;
        var w = standardErrors.Select(s => s > 0 ? 1 / (s * s) : 0).ToArray();
        var sumW = w.Sum();
        var denominator = sumW - (sumW > 0 ? w.Sum(x => x * x) / sumW : 0);
        var tau2 = denominator > 0 ? Math.Max(0, (k * phi - (k - 1)) / denominator) : 0;
        return (phi, tau2);
    }

    /// <summary>R's type 7 quantile: linear between the order statistics at (k − 1)p.</summary>
    public static double Quantile(IReadOnlyList<double> values, double p)
    {
        var sorted = values.Order().ToArray();
        var h = (sorted.Length - 1) * p;
        var lo = (int)Math.Floor(h);
        var hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }

    private static string Position(double value, FunnelLimits limits) =>
        value > limits.Upper998 ? "above998"
        : value > limits.Upper95 ? "above95"
        : value < limits.Lower998 ? "below998"
        : value < limits.Lower95 ? "below95"
        : "within";
}

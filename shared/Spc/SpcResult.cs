namespace Icp.Spc;

/// <summary>One point of the chart, in input order. Values that do not apply are null.</summary>
public struct SpcPoint
{
    // Stored as NaN / 0 rather than nullable fields to keep the struct small (64 bytes).
    internal double value;
    internal double mean;
    internal double lowerProcessLimit;
    internal double upperProcessLimit;
    internal double lowerNearLimit;
    internal double upperNearLimit;
    internal int index;
    internal int phase;
    internal PointType pointType;
    internal SpcRule rule;
    internal UnplottableReason unplottableReason;
    internal bool excludedByOption;

    /// <summary>Position in the input series.</summary>
    public readonly int Index => index;

    /// <summary>Index of the phase (into <see cref="SpcResult.Phases"/>) this point belongs to.</summary>
    public readonly int Phase => phase;

    /// <summary>The plotted value: y, or numerator/denominator. Null when unplottable.</summary>
    public readonly double? Value => NullIfNaN(value);

    /// <summary>The centre line that applies to this point.</summary>
    public readonly double? Mean => NullIfNaN(mean);

    /// <summary>Lower 3-sigma process limit that applies to this point (after clipping).</summary>
    public readonly double? Lpl => NullIfNaN(lowerProcessLimit);

    /// <summary>Upper 3-sigma process limit that applies to this point (after clipping).</summary>
    public readonly double? Upl => NullIfNaN(upperProcessLimit);

    /// <summary>Lower 2-sigma "near" limit (after clipping).</summary>
    public readonly double? Nlpl => NullIfNaN(lowerNearLimit);

    /// <summary>Upper 2-sigma "near" limit (after clipping).</summary>
    public readonly double? Nupl => NullIfNaN(upperNearLimit);

    /// <summary>Null when the point is excluded; otherwise common_cause or the special-cause type.</summary>
    public readonly PointType? PointType => pointType == 0 ? null : pointType;

    /// <summary>The rule that gave the point its type; null for common cause and excluded points.</summary>
    public readonly SpcRule? Rule => rule == 0 ? null : rule;

    /// <summary>True when the point takes no part in the limits, rules or runs (unplottable or excluded by option).</summary>
    public readonly bool Excluded => excludedByOption || unplottableReason != UnplottableReason.None;

    /// <summary>True when the caller excluded this point (known data fault); it is still drawn when plottable.</summary>
    public readonly bool ExcludedByOption => excludedByOption;

    /// <summary>True when there is no value to draw (missing value, zero or missing denominator).</summary>
    public readonly bool Unplottable => unplottableReason != UnplottableReason.None;

    public readonly UnplottableReason UnplottableReason => unplottableReason;

    private static double? NullIfNaN(double number) => double.IsNaN(number) ? null : number;
}

/// <summary>Result of the Anhøj runs analysis of one phase. The counts are null when no point is off the centre line.</summary>
public readonly record struct AnhoejResult(
    int NUseful,
    int? LongestRun,
    int? LongestRunLimit,
    int? Crossings,
    int? CrossingsMin,
    bool Signal);

/// <summary>A stretch of the series with its own centre and limits, from <see cref="Start"/> to <see cref="End"/> (both included).</summary>
public sealed record SpcPhase
{
    public required int Start { get; init; }
    public required int End { get; init; }

    /// <summary>Number of non-excluded points in the phase.</summary>
    public required int N { get; init; }

    /// <summary>Points actually used for the centre and limits: min(option, N); null when the option is unset (all points).</summary>
    public int? BaselinePoints { get; init; }

    public double? Mean { get; init; }

    /// <summary>Constant process limits (XmR, C); null for P/P′/U/U′, whose limits are per point.</summary>
    public double? Lpl { get; init; }
    public double? Upl { get; init; }
    public double? Nlpl { get; init; }
    public double? Nupl { get; init; }

    /// <summary>Average moving range after any screening (XmR only).</summary>
    public double? Amr { get; init; }

    /// <summary>Laney's σz (P′/U′ only).</summary>
    public double? SigmaZ { get; init; }

    public required AnhoejResult Anhoej { get; init; }

    /// <summary>True when the phase has fewer than 12 non-excluded points, so its limits are provisional.</summary>
    public bool IsProvisional { get; init; }
}

/// <summary>A computed chart: phases, one point per input entry, icons and the runs analysis.</summary>
public sealed class SpcResult
{
    internal SpcResult(
        ChartType chart,
        SpcPhase[] phases,
        SpcPoint[] points,
        VariationIcon? variationIcon,
        AssuranceIcon? assuranceIcon,
        bool isProvisional,
        IReadOnlyList<string> warnings)
    {
        IsProvisional = isProvisional;
        Chart = chart;
        Phases = phases;
        Points = points;
        VariationIcon = variationIcon;
        AssuranceIcon = assuranceIcon;
        Warnings = warnings;
    }

    public ChartType Chart { get; }

    public IReadOnlyList<SpcPhase> Phases { get; }

    /// <summary>Exactly one entry per input index, in input order.</summary>
    public IReadOnlyList<SpcPoint> Points { get; }

    /// <summary>From the type of the last non-excluded point; null when there is none.</summary>
    public VariationIcon? VariationIcon { get; }

    /// <summary>Target against the last non-excluded point's limits; null without a target, for a neutral direction, or without limits.</summary>
    public AssuranceIcon? AssuranceIcon { get; }

    /// <summary>The last phase's runs analysis (the chart-level object of the contract).</summary>
    public AnhoejResult Anhoej => Phases[^1].Anhoej;

    /// <summary>True when any phase has fewer than 12 points.</summary>
    public bool IsProvisional { get; }

    /// <summary>Human-readable warnings an API can pass on (e.g. provisional limits).</summary>
    public IReadOnlyList<string> Warnings { get; }
}

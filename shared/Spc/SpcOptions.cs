namespace Icp.Spc;

/// <summary>How to build one chart. All indexes are 0-based positions in the input series.</summary>
public sealed record SpcOptions
{
    public const int MinimumBaselinePoints = 12;
    public const int MinimumRunLength = 6;
    public const int MaximumRunLength = 8;
    public const int DefaultRunLength = 7;

    public ChartType Chart { get; init; } = ChartType.XmR;

    /// <summary>
    /// When set (≥ 12), each phase's centre and limits come from its first n non-excluded points and are
    /// extended over the rest of the phase. Null: every point of the phase is used.
    /// </summary>
    public int? BaselinePoints { get; init; }

    /// <summary>Strictly ascending indexes (1 … count−1) where a new phase starts; phase 0 starts at 0.</summary>
    public IReadOnlyList<int> RebaseIndexes { get; init; } = [];

    /// <summary>
    /// Points with a known data fault: still returned with their value, but not used for the centre, the limits,
    /// the moving ranges, the rules or the runs analysis.
    /// </summary>
    public IReadOnlyList<int> ExcludedIndexes { get; init; } = [];

    /// <summary>Drop moving ranges ≥ 3.267 × AMR and recompute the AMR once. XmR, P′ and U′ only; off by default.</summary>
    public bool ScreenMovingRanges { get; init; }

    public ImprovementDirection Improvement { get; init; } = ImprovementDirection.Increase;

    /// <summary>In plotted units: a proportion 0–1 for P/P′, a rate per denominator unit for U/U′.</summary>
    public double? Target { get; init; }

    /// <summary>Consecutive points on one side of the centre that make a shift (6–8).</summary>
    public int ShiftLength { get; init; } = DefaultRunLength;

    /// <summary>Consecutive points each strictly above (or below) the one before that make a trend (6–8).</summary>
    public int TrendLength { get; init; } = DefaultRunLength;

    public RuleSet Rules { get; init; } = RuleSet.MakingDataCount;

    /// <summary>
    /// Returns a message describing the first problem with these options for a series of
    /// <paramref name="pointCount"/> points, or null when they are valid. Allocates only on failure.
    /// </summary>
    public string? GetValidationError(int pointCount)
    {
        if (!Enum.IsDefined(Chart))
            return $"Unknown chart type {Chart}.";
        if (!Enum.IsDefined(Improvement))
            return $"Unknown improvement direction {Improvement}.";
        if (!Enum.IsDefined(Rules))
            return $"Unknown rule set {Rules}.";
        if (BaselinePoints is { } baseline && baseline < MinimumBaselinePoints)
            return $"baselinePoints must be at least {MinimumBaselinePoints} (was {baseline}).";
        if (ShiftLength is < MinimumRunLength or > MaximumRunLength)
            return $"shiftLength must be between {MinimumRunLength} and {MaximumRunLength} (was {ShiftLength}).";
        if (TrendLength is < MinimumRunLength or > MaximumRunLength)
            return $"trendLength must be between {MinimumRunLength} and {MaximumRunLength} (was {TrendLength}).";
        if (Target is { } target && !double.IsFinite(target))
            return "target must be a finite number.";

        var rebases = RebaseIndexes ?? [];
        int previous = 0;
        for (int i = 0; i < rebases.Count; i++)
        {
            int index = rebases[i];
            if (index <= previous || index >= pointCount)
                return $"rebase indexes must be strictly ascending and between 1 and {pointCount - 1} (found {index}).";
            previous = index;
        }

        var excluded = ExcludedIndexes ?? [];
        for (int i = 0; i < excluded.Count; i++)
        {
            int index = excluded[i];
            if (index < 0 || index >= pointCount)
                return $"excluded indexes must be between 0 and {pointCount - 1} (found {index}).";
        }

        return null;
    }
}

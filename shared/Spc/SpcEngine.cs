using System.Buffers;

namespace Icp.Spc;

/// <summary>Builds control charts: numbers in, chart out. Pure and thread-safe.</summary>
public static class SpcEngine
{
    /// <summary>Phases with fewer non-excluded points than this get provisional limits.</summary>
    public const int PointsForStableLimits = 12;

    /// <summary>NHSRplotthedots' XmR constant (not 3/1.128, which is 1.6e-4 narrower).</summary>
    internal const double XmrProcessLimitFactor = 2.66;
    internal const double XmrNearLimitFactor = 2.0 * 2.66 / 3.0;
    internal const double MovingRangeScreeningFactor = 3.267;
    /// <summary>d2 for moving ranges of two: turns an average moving range into a sigma (Laney's σz).</summary>
    internal const double D2 = 1.128;

    // Larger series use pooled arrays instead of the stack.
    private const int StackScratchLimit = 1024;

    /// <summary>
    /// Computes the chart. Throws <see cref="ArgumentException"/> when the options are invalid for the input
    /// (call <see cref="SpcOptions.GetValidationError"/> first to report problems without an exception).
    /// </summary>
    public static SpcResult Calculate(SpcInput input, SpcOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        bool isRatioChart = IsRatioChart(options.Chart);
        if (isRatioChart != input.HasRatios)
        {
            throw new ArgumentException(
                isRatioChart
                    ? $"A {options.Chart.ToContractString()} chart needs numerators and denominators (SpcInput.FromRatios)."
                    : $"A {options.Chart.ToContractString()} chart needs plain values (SpcInput.FromValues).",
                nameof(input));
        }

        int count = input.Count;
        string? error = options.GetValidationError(count);
        if (error is not null)
            throw new ArgumentException(error, nameof(options));

        int[]? rentedIndexes = null;
        double[]? rentedDoubles = null;
        sbyte[]? rentedBytes = null;
        try
        {
            Span<int> includedIndexes = count <= StackScratchLimit
                ? stackalloc int[count]
                : (rentedIndexes = ArrayPool<int>.Shared.Rent(count)).AsSpan(0, count);
            Span<double> doubles = count <= StackScratchLimit
                ? stackalloc double[2 * count]
                : (rentedDoubles = ArrayPool<double>.Shared.Rent(2 * count)).AsSpan(0, 2 * count);
            Span<sbyte> bytes = count <= StackScratchLimit
                ? stackalloc sbyte[3 * count]
                : (rentedBytes = ArrayPool<sbyte>.Shared.Rent(3 * count)).AsSpan(0, 3 * count);

            var scratch = new Scratch(
                includedIndexes,
                includedValues: doubles[..count],
                workValues: doubles[count..],
                sides: bytes[..count],
                directions: bytes[count..(2 * count)],
                closeFlags: bytes[(2 * count)..]);
            return Build(input, options, scratch);
        }
        finally
        {
            if (rentedIndexes is not null) ArrayPool<int>.Shared.Return(rentedIndexes);
            if (rentedDoubles is not null) ArrayPool<double>.Shared.Return(rentedDoubles);
            if (rentedBytes is not null) ArrayPool<sbyte>.Shared.Return(rentedBytes);
        }
    }

    /// <summary>Convenience overload for XmR and C charts.</summary>
    public static SpcResult Calculate(IReadOnlyList<double?> values, SpcOptions options) =>
        Calculate(SpcInput.FromValues(values), options);

    /// <summary>Convenience overload for P, P′, U and U′ charts.</summary>
    public static SpcResult Calculate(IReadOnlyList<double?> numerators, IReadOnlyList<double?> denominators, SpcOptions options) =>
        Calculate(SpcInput.FromRatios(numerators, denominators), options);

    public static bool IsRatioChart(ChartType chart) =>
        chart is ChartType.P or ChartType.PPrime or ChartType.U or ChartType.UPrime;

    private readonly ref struct Scratch(
        Span<int> includedIndexes,
        Span<double> includedValues,
        Span<double> workValues,
        Span<sbyte> sides,
        Span<sbyte> directions,
        Span<sbyte> closeFlags)
    {
        /// <summary>Input index of each non-excluded point, in order.</summary>
        public readonly Span<int> IncludedIndexes = includedIndexes;
        /// <summary>Plotted value of each non-excluded point (same positions as <see cref="IncludedIndexes"/>).</summary>
        public readonly Span<double> IncludedValues = includedValues;
        /// <summary>Free space, e.g. for Laney z-scores.</summary>
        public readonly Span<double> WorkValues = workValues;
        public readonly Span<sbyte> Sides = sides;
        public readonly Span<sbyte> Directions = directions;
        public readonly Span<sbyte> CloseFlags = closeFlags;
    }

    private static SpcResult Build(SpcInput input, SpcOptions options, Scratch scratch)
    {
        int count = input.Count;
        var points = new SpcPoint[count];
        FillValues(input, options, points);

        var rebases = options.RebaseIndexes ?? [];
        var phases = new SpcPhase[rebases.Count + 1];
        List<string>? warnings = null;
        bool isProvisional = false;
        int includedCursor = 0;

        for (int phaseIndex = 0; phaseIndex < phases.Length; phaseIndex++)
        {
            int start = phaseIndex == 0 ? 0 : rebases[phaseIndex - 1];
            int end = (phaseIndex < rebases.Count ? rebases[phaseIndex] : count) - 1;

            int phaseFirst = includedCursor;
            for (int i = start; i <= end; i++)
            {
                points[i].phase = phaseIndex;
                if (!points[i].Excluded)
                {
                    scratch.IncludedIndexes[includedCursor] = i;
                    scratch.IncludedValues[includedCursor] = points[i].value;
                    includedCursor++;
                }
            }

            int n = includedCursor - phaseFirst;
            int baselineCount = options.BaselinePoints is { } requested ? Math.Min(requested, n) : n;
            var phaseScratch = new PhaseSpan(
                scratch.IncludedIndexes.Slice(phaseFirst, n),
                scratch.IncludedValues.Slice(phaseFirst, n));

            PhaseLimits limits = ComputeLimits(input, options, phaseScratch, baselineCount, scratch.WorkValues);
            ApplyLimits(input, options.Chart, limits, points.AsSpan(start, end - start + 1));

            ClassifyPoints(options, points, phaseScratch,
                scratch.Sides[..n], scratch.Directions[..n], scratch.CloseFlags[..n]);

            AnhoejResult anhoej = AnhoejRuns.Analyse(phaseScratch.Values, limits.Centre);

            bool phaseIsProvisional = n < PointsForStableLimits;
            if (phaseIsProvisional)
            {
                isProvisional = true;
                (warnings ??= []).Add(
                    $"Phase {phaseIndex + 1} (points {start}–{end}) has {n} usable point{(n == 1 ? "" : "s")}; " +
                    $"its limits are provisional until it has {PointsForStableLimits}.");
            }
            bool limitsNeedMovingRanges = options.Chart is ChartType.XmR or ChartType.PPrime or ChartType.UPrime;
            if (n > 0 && baselineCount < 2 && limitsNeedMovingRanges)
            {
                (warnings ??= []).Add(
                    $"Phase {phaseIndex + 1} (points {start}–{end}) has too few usable points to compute process limits.");
            }

            bool constantLimits = options.Chart is ChartType.XmR or ChartType.C;
            phases[phaseIndex] = new SpcPhase
            {
                Start = start,
                End = end,
                N = n,
                BaselinePoints = options.BaselinePoints is null ? null : baselineCount,
                Mean = NullIfNaN(limits.Centre),
                Lpl = constantLimits ? NullIfNaN(limits.ConstantLpl) : null,
                Upl = constantLimits ? NullIfNaN(limits.ConstantUpl) : null,
                Nlpl = constantLimits ? NullIfNaN(limits.ConstantNlpl) : null,
                Nupl = constantLimits ? NullIfNaN(limits.ConstantNupl) : null,
                Amr = options.Chart == ChartType.XmR ? NullIfNaN(limits.AverageMovingRange) : null,
                SigmaZ = options.Chart is ChartType.PPrime or ChartType.UPrime ? NullIfNaN(limits.Spread) : null,
                Anhoej = anhoej,
                IsProvisional = phaseIsProvisional,
            };
        }

        (VariationIcon? variationIcon, AssuranceIcon? assuranceIcon) = ComputeIcons(options, points);
        return new SpcResult(options.Chart, phases, points, variationIcon, assuranceIcon, isProvisional,
            warnings is null ? [] : warnings.ToArray());
    }

    private static void FillValues(SpcInput input, SpcOptions options, SpcPoint[] points)
    {
        if (input.HasRatios)
        {
            ReadOnlySpan<double> numerators = input.Numerators.Span;
            ReadOnlySpan<double> denominators = input.Denominators.Span;
            for (int i = 0; i < points.Length; i++)
            {
                double numerator = numerators[i];
                double denominator = denominators[i];
                UnplottableReason reason =
                    double.IsNaN(denominator) ? UnplottableReason.MissingDenominator
                    : denominator == 0 ? UnplottableReason.ZeroDenominator
                    : denominator < 0 ? UnplottableReason.NegativeDenominator
                    : double.IsNaN(numerator) ? UnplottableReason.MissingValue
                    : !double.IsFinite(numerator) || !double.IsFinite(denominator) ? UnplottableReason.NotFinite
                    : UnplottableReason.None;
                InitialisePoint(ref points[i], i, reason == UnplottableReason.None ? numerator / denominator : double.NaN, reason);
            }
        }
        else
        {
            ReadOnlySpan<double> values = input.Values.Span;
            for (int i = 0; i < points.Length; i++)
            {
                double value = values[i];
                UnplottableReason reason =
                    double.IsNaN(value) ? UnplottableReason.MissingValue
                    : !double.IsFinite(value) ? UnplottableReason.NotFinite
                    : UnplottableReason.None;
                InitialisePoint(ref points[i], i, reason == UnplottableReason.None ? value : double.NaN, reason);
            }
        }

        var excluded = options.ExcludedIndexes ?? [];
        for (int i = 0; i < excluded.Count; i++)
            points[excluded[i]].excludedByOption = true;
    }

    private static void InitialisePoint(ref SpcPoint point, int index, double value, UnplottableReason reason)
    {
        point.index = index;
        point.value = value;
        point.unplottableReason = reason;
        point.mean = double.NaN;
        point.lowerProcessLimit = double.NaN;
        point.upperProcessLimit = double.NaN;
        point.lowerNearLimit = double.NaN;
        point.upperNearLimit = double.NaN;
    }

    /// <summary>The non-excluded points of one phase: their input indexes and plotted values.</summary>
    private readonly ref struct PhaseSpan(Span<int> indexes, Span<double> values)
    {
        public readonly Span<int> Indexes = indexes;
        public readonly Span<double> Values = values;
        public int Length => Indexes.Length;
    }

    /// <summary>
    /// Centre and limits of one phase. For XmR and C the limits are constant; for ratio charts the limits of a point
    /// with denominator d are centre ± k · sqrt(VarianceNumerator / d) · Spread.
    /// Spread is the AMR (XmR), √c̄ (C), 1 (P, U) or σz (P′, U′); NaN when there are too few points to know it.
    /// </summary>
    private readonly record struct PhaseLimits(
        double Centre,
        double ConstantLpl,
        double ConstantUpl,
        double ConstantNlpl,
        double ConstantNupl,
        double AverageMovingRange,
        double VarianceNumerator,
        double Spread);

    private static PhaseLimits ComputeLimits(SpcInput input, SpcOptions options, PhaseSpan phase, int baselineCount, Span<double> work)
    {
        ReadOnlySpan<double> baselineValues = phase.Values[..baselineCount];
        switch (options.Chart)
        {
            case ChartType.XmR:
            {
                double mean = Mean(baselineValues);
                double amr = AverageMovingRange(baselineValues, options.ScreenMovingRanges);
                return new PhaseLimits(
                    mean,
                    mean - XmrProcessLimitFactor * amr,
                    mean + XmrProcessLimitFactor * amr,
                    mean - XmrNearLimitFactor * amr,
                    mean + XmrNearLimitFactor * amr,
                    amr,
                    VarianceNumerator: double.NaN,
                    Spread: amr);
            }
            case ChartType.C:
            {
                double mean = Mean(baselineValues);
                double sigma = Math.Sqrt(mean);
                return new PhaseLimits(
                    mean,
                    Math.Max(0, mean - 3 * sigma),
                    mean + 3 * sigma,
                    Math.Max(0, mean - 2 * sigma),
                    mean + 2 * sigma,
                    AverageMovingRange: double.NaN,
                    VarianceNumerator: double.NaN,
                    Spread: sigma);
            }
            default:
            {
                ReadOnlySpan<double> numerators = input.Numerators.Span;
                ReadOnlySpan<double> denominators = input.Denominators.Span;
                ReadOnlySpan<int> baselineIndexes = phase.Indexes[..baselineCount];
                double numeratorSum = 0;
                double denominatorSum = 0;
                for (int k = 0; k < baselineIndexes.Length; k++)
                {
                    numeratorSum += numerators[baselineIndexes[k]];
                    denominatorSum += denominators[baselineIndexes[k]];
                }
                double centre = baselineIndexes.Length == 0 ? double.NaN : numeratorSum / denominatorSum;
                bool isProportion = options.Chart is ChartType.P or ChartType.PPrime;
                double varianceNumerator = isProportion ? centre * (1 - centre) : centre;

                double sigmaScale = 1;
                if (options.Chart is ChartType.PPrime or ChartType.UPrime)
                {
                    sigmaScale = double.NaN;
                    if (varianceNumerator > 0)
                    {
                        Span<double> zScores = work[..baselineCount];
                        for (int k = 0; k < baselineIndexes.Length; k++)
                        {
                            double sigma = Math.Sqrt(varianceNumerator / denominators[baselineIndexes[k]]);
                            zScores[k] = (baselineValues[k] - centre) / sigma;
                        }
                        sigmaScale = AverageMovingRange(zScores, options.ScreenMovingRanges) / D2;
                    }
                }
                return new PhaseLimits(centre, double.NaN, double.NaN, double.NaN, double.NaN,
                    AverageMovingRange: double.NaN, varianceNumerator, sigmaScale);
            }
        }
    }

    private static void ApplyLimits(SpcInput input, ChartType chart, in PhaseLimits limits, Span<SpcPoint> phasePoints)
    {
        if (chart is ChartType.XmR or ChartType.C)
        {
            for (int i = 0; i < phasePoints.Length; i++)
            {
                ref SpcPoint point = ref phasePoints[i];
                if (point.Unplottable)
                    continue;
                point.mean = limits.Centre;
                point.lowerProcessLimit = limits.ConstantLpl;
                point.upperProcessLimit = limits.ConstantUpl;
                point.lowerNearLimit = limits.ConstantNlpl;
                point.upperNearLimit = limits.ConstantNupl;
            }
            return;
        }

        ReadOnlySpan<double> denominators = input.Denominators.Span;
        bool clipAtOne = chart is ChartType.P or ChartType.PPrime;
        double centre = limits.Centre;
        for (int i = 0; i < phasePoints.Length; i++)
        {
            ref SpcPoint point = ref phasePoints[i];
            if (point.Unplottable)
                continue;
            double sigma = Math.Sqrt(limits.VarianceNumerator / denominators[point.index]);
            // A centre of 0 (or 1 for proportions) has no spread: the limits collapse onto it.
            double oneSigma = sigma == 0 ? 0 : sigma * limits.Spread;
            double lower = Math.Max(0, centre - 3 * oneSigma);
            double upper = centre + 3 * oneSigma;
            double nearLower = Math.Max(0, centre - 2 * oneSigma);
            double nearUpper = centre + 2 * oneSigma;
            if (clipAtOne)
            {
                upper = Math.Min(1, upper);
                nearUpper = Math.Min(1, nearUpper);
            }
            point.mean = centre;
            point.lowerProcessLimit = lower;
            point.upperProcessLimit = upper;
            point.lowerNearLimit = nearLower;
            point.upperNearLimit = nearUpper;
        }
    }

    private static void ClassifyPoints(SpcOptions options, SpcPoint[] points, PhaseSpan phase,
        Span<sbyte> sides, Span<sbyte> directions, Span<sbyte> closeFlags)
    {
        int n = phase.Length;
        ReadOnlySpan<int> indexes = phase.Indexes;
        ReadOnlySpan<double> values = phase.Values;

        for (int k = 0; k < n; k++)
        {
            ref readonly SpcPoint point = ref points[indexes[k]];
            double value = values[k];
            sides[k] = value > point.mean ? (sbyte)1 : value < point.mean ? (sbyte)-1 : (sbyte)0;
            bool astronomical = value > point.upperProcessLimit || value < point.lowerProcessLimit;
            closeFlags[k] = !astronomical && (value > point.upperNearLimit || value < point.lowerNearLimit) ? (sbyte)1 : (sbyte)0;
            directions[k] = 0;
        }

        // Each pass overwrites the one before, which gives the precedence astronomical > trend > two_of_three > shift.
        if (options.Rules == RuleSet.MakingDataCount)
        {
            MakingDataCountRules.FlagShifts(points, indexes, sides, directions, options.ShiftLength);
            MakingDataCountRules.FlagTwoOfThree(points, indexes, sides, closeFlags, directions);
            MakingDataCountRules.FlagTrends(points, indexes, values, directions, options.TrendLength);
        }
        MakingDataCountRules.FlagAstronomical(points, indexes, values, directions);

        for (int k = 0; k < n; k++)
        {
            ref SpcPoint point = ref points[indexes[k]];
            point.pointType = point.rule == 0
                ? PointType.CommonCause
                : SpecialCauseType(directions[k] > 0, options.Improvement);
        }
    }

    private static PointType SpecialCauseType(bool isHigh, ImprovementDirection improvement) => improvement switch
    {
        ImprovementDirection.Increase => isHigh ? PointType.Improvement : PointType.Concern,
        ImprovementDirection.Decrease => isHigh ? PointType.Concern : PointType.Improvement,
        _ => isHigh ? PointType.NeutralHigh : PointType.NeutralLow,
    };

    private static (VariationIcon?, AssuranceIcon?) ComputeIcons(SpcOptions options, SpcPoint[] points)
    {
        int last = points.Length - 1;
        while (last >= 0 && points[last].Excluded)
            last--;
        if (last < 0)
            return (null, null);

        ref readonly SpcPoint lastPoint = ref points[last];
        bool increase = options.Improvement == ImprovementDirection.Increase;
        VariationIcon variation = lastPoint.pointType switch
        {
            PointType.Improvement => increase ? VariationIcon.ImprovementHigh : VariationIcon.ImprovementLow,
            PointType.Concern => increase ? VariationIcon.ConcernLow : VariationIcon.ConcernHigh,
            PointType.NeutralHigh => VariationIcon.NeutralHigh,
            PointType.NeutralLow => VariationIcon.NeutralLow,
            _ => VariationIcon.CommonCause,
        };

        AssuranceIcon? assurance = null;
        if (options.Target is { } target
            && options.Improvement != ImprovementDirection.Neutral
            && !double.IsNaN(lastPoint.lowerProcessLimit)
            && !double.IsNaN(lastPoint.upperProcessLimit))
        {
            bool targetAboveLimits = target > lastPoint.upperProcessLimit;
            bool targetBelowLimits = target < lastPoint.lowerProcessLimit;
            assurance = (targetAboveLimits, targetBelowLimits) switch
            {
                (true, _) => increase ? AssuranceIcon.ConsistentFail : AssuranceIcon.ConsistentPass,
                (_, true) => increase ? AssuranceIcon.ConsistentPass : AssuranceIcon.ConsistentFail,
                _ => AssuranceIcon.Inconsistent,
            };
        }
        return (variation, assurance);
    }

    internal static double Mean(ReadOnlySpan<double> values)
    {
        if (values.Length == 0)
            return double.NaN;
        double sum = 0;
        for (int i = 0; i < values.Length; i++)
            sum += values[i];
        return sum / values.Length;
    }

    /// <summary>
    /// Mean of |x[k] − x[k−1]|; with screening, ranges ≥ 3.267 × that mean are dropped and the mean is taken once more.
    /// NaN with fewer than two values.
    /// </summary>
    internal static double AverageMovingRange(ReadOnlySpan<double> values, bool screen)
    {
        if (values.Length < 2)
            return double.NaN;
        double sum = 0;
        for (int k = 1; k < values.Length; k++)
            sum += Math.Abs(values[k] - values[k - 1]);
        double average = sum / (values.Length - 1);
        if (!screen || !(average > 0))
            return average;

        double cutoff = MovingRangeScreeningFactor * average;
        double keptSum = 0;
        int keptCount = 0;
        for (int k = 1; k < values.Length; k++)
        {
            double range = Math.Abs(values[k] - values[k - 1]);
            if (range < cutoff)
            {
                keptSum += range;
                keptCount++;
            }
        }
        return keptSum / keptCount;
    }

    private static double? NullIfNaN(double number) => double.IsNaN(number) ? null : number;
}

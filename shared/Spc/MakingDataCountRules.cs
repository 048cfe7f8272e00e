namespace Icp.Spc;

/// <summary>
/// The NHS "Making Data Count" special-cause rules, applied to the non-excluded points of one phase.
/// Each method records its rule on the points it flags and the direction (+1 high, −1 low) in <c>directions</c>,
/// overwriting whatever an earlier pass recorded; calling them in the order shift, two-of-three, trend,
/// astronomical therefore yields the precedence astronomical &gt; trend &gt; two_of_three &gt; shift.
/// </summary>
internal static class MakingDataCountRules
{
    /// <summary>shiftLength or more consecutive points with the same non-zero side of the mean: all flagged.</summary>
    public static void FlagShifts(SpcPoint[] points, ReadOnlySpan<int> indexes, ReadOnlySpan<sbyte> sides,
        Span<sbyte> directions, int shiftLength)
    {
        int n = indexes.Length;
        int runStart = 0;
        while (runStart < n)
        {
            sbyte side = sides[runStart];
            int runEnd = runStart + 1;
            while (runEnd < n && sides[runEnd] == side)
                runEnd++;
            if (side != 0 && runEnd - runStart >= shiftLength)
                Flag(points, indexes, directions, runStart, runEnd, SpcRule.Shift, side);
            runStart = runEnd;
        }
    }

    /// <summary>
    /// Any three consecutive points with the same non-zero side, of which at least two are close to (beyond the
    /// near limit but not beyond the process limit on) that side: only the close points are flagged.
    /// </summary>
    public static void FlagTwoOfThree(SpcPoint[] points, ReadOnlySpan<int> indexes, ReadOnlySpan<sbyte> sides,
        ReadOnlySpan<sbyte> closeFlags, Span<sbyte> directions)
    {
        for (int first = 0; first + 2 < indexes.Length; first++)
        {
            sbyte side = sides[first];
            if (side == 0 || sides[first + 1] != side || sides[first + 2] != side)
                continue;
            if (closeFlags[first] + closeFlags[first + 1] + closeFlags[first + 2] < 2)
                continue;
            for (int k = first; k < first + 3; k++)
            {
                if (closeFlags[k] != 0)
                    Flag(points, indexes, directions, k, k + 1, SpcRule.TwoOfThree, side);
            }
        }
    }

    /// <summary>
    /// trendLength or more consecutive points, each strictly higher (or lower) than the one before: all flagged.
    /// An equal pair breaks the trend. A turning point shared by a rising and a falling trend takes the later one's direction.
    /// </summary>
    public static void FlagTrends(SpcPoint[] points, ReadOnlySpan<int> indexes, ReadOnlySpan<double> values,
        Span<sbyte> directions, int trendLength)
    {
        int n = indexes.Length;
        int stepsNeeded = trendLength - 1;
        // Runs of steps with the same sign: steps first … last−1 join points first … last.
        int first = 0;
        while (first < n - 1)
        {
            sbyte step = StepSign(values[first], values[first + 1]);
            int last = first + 1;
            while (last < n - 1 && StepSign(values[last], values[last + 1]) == step)
                last++;
            if (step != 0 && last - first >= stepsNeeded)
                Flag(points, indexes, directions, first, last + 1, SpcRule.Trend, step);
            first = last;
        }
    }

    /// <summary>Strictly above the upper or below the lower process limit.</summary>
    public static void FlagAstronomical(SpcPoint[] points, ReadOnlySpan<int> indexes, ReadOnlySpan<double> values,
        Span<sbyte> directions)
    {
        for (int k = 0; k < indexes.Length; k++)
        {
            ref SpcPoint point = ref points[indexes[k]];
            double value = values[k];
            if (value > point.upperProcessLimit)
            {
                point.rule = SpcRule.Astronomical;
                directions[k] = 1;
            }
            else if (value < point.lowerProcessLimit)
            {
                point.rule = SpcRule.Astronomical;
                directions[k] = -1;
            }
        }
    }

    private static sbyte StepSign(double from, double to) => to > from ? (sbyte)1 : to < from ? (sbyte)-1 : (sbyte)0;

    private static void Flag(SpcPoint[] points, ReadOnlySpan<int> indexes, Span<sbyte> directions,
        int fromPosition, int toPositionExclusive, SpcRule rule, sbyte direction)
    {
        for (int k = fromPosition; k < toPositionExclusive; k++)
        {
            points[indexes[k]].rule = rule;
            directions[k] = direction;
        }
    }
}

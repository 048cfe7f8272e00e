namespace Icp.Statistics;

/// <summary>Answers to one scale item in two survey waves (item non-response already removed).</summary>
/// <param name="ItemId">Item identifier, copied to the result.</param>
/// <param name="ScaleMin">Lowest scale level (e.g. 1).</param>
/// <param name="ScaleMax">Highest scale level (e.g. 5).</param>
/// <param name="PositiveThreshold">Answers ≥ this count as positive (e.g. 4 = agree or strongly agree on 1–5).</param>
/// <param name="Wave1">Answers in wave 1 (before).</param>
/// <param name="Wave2">Answers in wave 2 (after).</param>
public sealed record ScaleItemWaves(
    string ItemId, int ScaleMin, int ScaleMax, int PositiveThreshold,
    IReadOnlyList<int> Wave1, IReadOnlyList<int> Wave2);

/// <summary>Descriptive statistics of one item in one wave.</summary>
/// <param name="N">Number of answers.</param>
/// <param name="Mean">Mean; null when N = 0.</param>
/// <param name="Sd">Sample SD (n − 1); null when N &lt; 2.</param>
/// <param name="Median">Median (R type 7; may be x.5); null when N = 0.</param>
/// <param name="Counts">Count per scale level, every level from ScaleMin to ScaleMax in ascending order, zeros included.</param>
public sealed record WaveDescriptives(int N, double? Mean, double? Sd, double? Median, IReadOnlyDictionary<int, int> Counts);

/// <summary>Unpaired before/after comparison of one item (see the surveys reference README for definitions).</summary>
/// <param name="ItemId">Item identifier.</param>
/// <param name="N1">Answers in wave 1 (before).</param>
/// <param name="N2">Answers in wave 2 (after).</param>
/// <param name="W">Mann–Whitney W with x = wave 2; null only when a wave has no answers.</param>
/// <param name="PValue">Two-sided p-value; null when undefined (all answers identical) or a wave is empty.</param>
/// <param name="Method">"exact" or "normal"; null only when a wave has no answers.</param>
/// <param name="Cles">W/(n1·n2) = P(after &gt; before) + 0.5·P(equal); null only when a wave is empty.</param>
/// <param name="PAdjustedBH">Benjamini–Hochberg adjusted p over the items of the comparison with a p-value.</param>
/// <param name="PositiveShare1">Share of wave-1 answers ≥ threshold (0..1); null when N1 = 0.</param>
/// <param name="PositiveShare2">Share of wave-2 answers ≥ threshold (0..1); null when N2 = 0.</param>
/// <param name="PpChange">100·(PositiveShare2 − PositiveShare1), percentage points.</param>
/// <param name="Wave1">Wave-1 descriptives.</param>
/// <param name="Wave2">Wave-2 descriptives.</param>
public sealed record ItemComparison(
    string ItemId, int N1, int N2, double? W, double? PValue, string? Method, double? Cles, double? PAdjustedBH,
    double? PositiveShare1, double? PositiveShare2, double? PpChange,
    WaveDescriptives Wave1, WaveDescriptives Wave2);

/// <summary>Unpaired comparison of two survey waves, item by item.</summary>
public static class WaveComparison
{
    /// <summary>
    /// Compares every item (Mann–Whitney with x = wave 2, y = wave 1; descriptives; positive shares)
    /// and applies Benjamini–Hochberg across the items that have a p-value. Results in input order.
    /// </summary>
    public static IReadOnlyList<ItemComparison> Compare(IEnumerable<ScaleItemWaves> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        var unadjusted = items.Select(CompareUnadjusted).ToList();
        double?[] adjusted = MultipleTesting.BenjaminiHochberg(unadjusted.Select(r => r.PValue).ToArray());
        return unadjusted.Select((r, i) => r with { PAdjustedBH = adjusted[i] }).ToList();
    }

    /// <summary>Descriptives of one wave: n, mean, SD, median and counts per level scaleMin..scaleMax.</summary>
    public static WaveDescriptives Describe(IReadOnlyList<int> answers, int scaleMin, int scaleMax)
    {
        ArgumentNullException.ThrowIfNull(answers);
        if (scaleMin > scaleMax) throw new ArgumentException("scaleMin must not exceed scaleMax.");
        var counts = new SortedDictionary<int, int>();
        for (int level = scaleMin; level <= scaleMax; level++) counts[level] = 0;
        foreach (int a in answers)
        {
            if (a < scaleMin || a > scaleMax)
                throw new ArgumentOutOfRangeException(nameof(answers), a, $"Answer outside the scale {scaleMin}..{scaleMax}.");
            counts[a]++;
        }
        double[] values = answers.Select(a => (double)a).ToArray();
        return new WaveDescriptives(
            values.Length, Descriptive.Mean(values), Descriptive.SampleStandardDeviation(values),
            Descriptive.Median(values), counts);
    }

    /// <summary>Share (0..1) of answers ≥ threshold; null when there are no answers.</summary>
    public static double? PositiveShare(IReadOnlyList<int> answers, int positiveThreshold)
    {
        ArgumentNullException.ThrowIfNull(answers);
        if (answers.Count == 0) return null;
        int positive = answers.Count(a => a >= positiveThreshold);
        return (double)positive / answers.Count;
    }

    private static ItemComparison CompareUnadjusted(ScaleItemWaves item)
    {
        ArgumentNullException.ThrowIfNull(item);
        WaveDescriptives d1 = Describe(item.Wave1, item.ScaleMin, item.ScaleMax);
        WaveDescriptives d2 = Describe(item.Wave2, item.ScaleMin, item.ScaleMax);
        double? share1 = PositiveShare(item.Wave1, item.PositiveThreshold);
        double? share2 = PositiveShare(item.Wave2, item.PositiveThreshold);
        double? pp = share1 is null || share2 is null ? null : 100.0 * (share2.Value - share1.Value);
        if (d1.N == 0 || d2.N == 0)
        {
            return new ItemComparison(item.ItemId, d1.N, d2.N, null, null, null, null, null, share1, share2, pp, d1, d2);
        }
        RankSumResult test = RankSumTest.Test(
            item.Wave2.Select(a => (double)a).ToArray(),
            item.Wave1.Select(a => (double)a).ToArray());
        return new ItemComparison(
            item.ItemId, d1.N, d2.N, test.W, test.PValue, test.Method, test.Cles, null,
            share1, share2, pp, d1, d2);
    }
}

namespace Icp.Statistics;

/// <summary>
/// Exact null distributions of the Wilcoxon statistics, counted with integer arithmetic
/// (no rounding until the final division).
/// <list type="bullet">
/// <item>Rank-sum / Mann–Whitney: U = (rank sum of x) − m(m+1)/2 for sizes m = |x|, n = |y|,
/// all C(m+n, m) rank subsets equally likely (R's <c>dwilcox</c>/<c>pwilcox</c>).</item>
/// <item>Signed rank: V = sum of a uniformly random subset of {1..n}, 2ⁿ sign patterns
/// (R's <c>dsignrank</c>/<c>psignrank</c>).</item>
/// </list>
/// </summary>
public static class WilcoxonDistributions
{
    /// <summary>Largest group size supported by the exact rank-sum counts (C(2·m, m) must fit in 128 bits).</summary>
    public const int MaxRankSumGroupSize = 60;

    /// <summary>Largest n supported by the exact signed-rank counts (2ⁿ must fit in 64 bits).</summary>
    public const int MaxSignedRankN = 62;

    /// <summary>
    /// counts[u] = number of the C(m+n, m) arrangements with Mann–Whitney U = u, u = 0..m·n.
    /// </summary>
    public static UInt128[] RankSumCounts(int m, int n)
    {
        if (m < 0 || n < 0) throw new ArgumentOutOfRangeException(nameof(m), "Sizes must be non-negative.");
        if (Math.Min(m, n) > MaxRankSumGroupSize || (long)m + n > 2L * MaxRankSumGroupSize)
            throw new ArgumentOutOfRangeException(nameof(m), "Sample sizes too large for the exact distribution.");
        // The distribution of U depends on {m, n} only; choose k (the group we place) as the smaller.
        int k = Math.Min(m, n);
        int total = m + n;
        int other = total - k;
        int maxU = k * other;
        // dp[j][u]: ways to choose j of the first i pooled positions for the k-group, where u counts
        // pairs (k-element, other-element) with the other-element ranked below.
        var dp = new UInt128[k + 1][];
        for (int j = 0; j <= k; j++) dp[j] = new UInt128[maxU + 1];
        dp[0][0] = 1;
        for (int i = 1; i <= total; i++)
        {
            for (int j = Math.Min(i, k); j >= 1; j--)
            {
                // position i chosen as the j-th k-element: i − j other-elements lie below it.
                int shift = i - j;
                if (shift > other) continue;
                UInt128[] cur = dp[j];
                UInt128[] prev = dp[j - 1];
                for (int u = maxU; u >= shift; u--)
                {
                    UInt128 add = prev[u - shift];
                    if (add != UInt128.Zero) cur[u] += add;
                }
            }
        }
        return dp[k];
    }

    /// <summary>P(U = u) for the Mann–Whitney statistic with sizes m, n.</summary>
    public static double RankSumProbability(int u, int m, int n)
    {
        if (u < 0 || u > (long)m * n) return 0.0;
        UInt128[] counts = RankSumCounts(m, n);
        return Ratio(counts[u], Sum(counts, counts.Length - 1));
    }

    /// <summary>P(U ≤ u) for the Mann–Whitney statistic with sizes m, n (R's <c>pwilcox(u, m, n)</c>).</summary>
    public static double RankSumCdf(int u, int m, int n)
    {
        if (u < 0) return 0.0;
        if (u >= (long)m * n) return 1.0;
        UInt128[] counts = RankSumCounts(m, n);
        return Ratio(Sum(counts, u), Sum(counts, counts.Length - 1));
    }

    /// <summary>
    /// Two-sided exact p-value for an observed integer W with sizes m = |x|, n = |y|:
    /// W &gt; mn/2 → min(1, 2·P(U ≥ W)), else min(1, 2·P(U ≤ W)).
    /// </summary>
    public static double RankSumTwoSidedP(int w, int m, int n)
    {
        long mn = (long)m * n;
        if (w < 0 || w > mn) throw new ArgumentOutOfRangeException(nameof(w));
        UInt128[] counts = RankSumCounts(m, n);
        UInt128 all = Sum(counts, counts.Length - 1);
        // The distribution is symmetric about mn/2: P(U ≥ w) = P(U ≤ mn − w).
        int q = 2L * w > mn ? (int)(mn - w) : w;
        double tail = Ratio(Sum(counts, q), all);
        return Math.Min(1.0, 2.0 * tail);
    }

    /// <summary>counts[v] = number of the 2ⁿ subsets of {1..n} with sum v, v = 0..n(n+1)/2.</summary>
    public static ulong[] SignedRankCounts(int n)
    {
        if (n < 0 || n > MaxSignedRankN) throw new ArgumentOutOfRangeException(nameof(n));
        int max = n * (n + 1) / 2;
        var c = new ulong[max + 1];
        c[0] = 1;
        for (int i = 1; i <= n; i++)
            for (int s = i * (i + 1) / 2; s >= i; s--)
                c[s] += c[s - i];
        return c;
    }

    /// <summary>P(V = v) for the signed-rank statistic with n non-zero differences.</summary>
    public static double SignedRankProbability(int v, int n)
    {
        ulong[] c = SignedRankCounts(n);
        if (v < 0 || v >= c.Length) return 0.0;
        return Ratio(c[v], (UInt128)1 << n);
    }

    /// <summary>P(V ≤ v) for the signed-rank statistic with n non-zero differences (R's <c>psignrank(v, n)</c>).</summary>
    public static double SignedRankCdf(int v, int n)
    {
        ulong[] c = SignedRankCounts(n);
        if (v < 0) return 0.0;
        if (v >= c.Length - 1) return 1.0;
        return Ratio(SumTo(c, v), (UInt128)1 << n);
    }

    /// <summary>
    /// Two-sided exact p-value for an observed integer V with n non-zero differences:
    /// V &gt; n(n+1)/4 → min(1, 2·P(V' ≥ V)), else min(1, 2·P(V' ≤ V)).
    /// </summary>
    public static double SignedRankTwoSidedP(int v, int n)
    {
        ulong[] c = SignedRankCounts(n);
        int max = c.Length - 1;
        if (v < 0 || v > max) throw new ArgumentOutOfRangeException(nameof(v));
        // Symmetric about n(n+1)/4: P(V' ≥ v) = P(V' ≤ n(n+1)/2 − v).
        int q = 2 * v > max ? max - v : v;
        double tail = Ratio(SumTo(c, q), (UInt128)1 << n);
        return Math.Min(1.0, 2.0 * tail);
    }

    private static UInt128 Sum(UInt128[] counts, int upTo)
    {
        UInt128 s = 0;
        for (int i = 0; i <= upTo; i++) s += counts[i];
        return s;
    }

    private static UInt128 SumTo(ulong[] counts, int upTo)
    {
        UInt128 s = 0;
        for (int i = 0; i <= upTo; i++) s += counts[i];
        return s;
    }

    private static double Ratio(UInt128 numerator, UInt128 denominator) => (double)numerator / (double)denominator;
}

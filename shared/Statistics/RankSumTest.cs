namespace Icp.Statistics;

/// <summary>Result of an unpaired Wilcoxon rank-sum / Mann–Whitney test.</summary>
/// <param name="NX">Size of x (the "after" group).</param>
/// <param name="NY">Size of y (the "before" group).</param>
/// <param name="W">W = #{x &gt; y} + 0.5·#{x = y} over all pairs (R's statistic W), a multiple of 0.5.</param>
/// <param name="PValue">Two-sided p-value; null when undefined (every pooled value identical).</param>
/// <param name="Method"><see cref="TestMethods.Exact"/> or <see cref="TestMethods.Normal"/>.</param>
/// <param name="Cles">Common-language effect size W/(nx·ny) = P(x &gt; y) + 0.5·P(x = y).</param>
public sealed record RankSumResult(int NX, int NY, double W, double? PValue, string Method, double Cles);

/// <summary>
/// Unpaired two-sided Wilcoxon rank-sum test with the semantics of R's
/// <c>wilcox.test(x, y, paired = FALSE, exact = NULL, correct = TRUE)</c> as of R 4.2.2 (the version that
/// produced the reference cases). Later R versions changed the default to exact conditional p-values
/// with ties; this class deliberately keeps the 4.2.2 rule (ties → normal approximation).
/// </summary>
public static class RankSumTest
{
    /// <summary>Both groups must be smaller than this for the exact p-value (R's rule).</summary>
    public const int ExactLimit = 50;

    /// <summary>
    /// Runs the test. Exact p-value iff both groups have fewer than 50 values and the pooled sample
    /// has no ties; otherwise the normal approximation with tie correction and continuity correction.
    /// </summary>
    /// <param name="x">First sample (for a before/after comparison: the after wave).</param>
    /// <param name="y">Second sample (the before wave).</param>
    public static RankSumResult Test(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        int nx = x.Count, ny = y.Count;
        if (nx == 0 || ny == 0) throw new ArgumentException("Both samples need at least one value.");

        var pooled = new double[nx + ny];
        for (int i = 0; i < nx; i++) pooled[i] = x[i];
        for (int j = 0; j < ny; j++) pooled[nx + j] = y[j];
        double[] ranks = Ranking.MidRanks(pooled);
        double rankSumX = 0;
        for (int i = 0; i < nx; i++) rankSumX += ranks[i];
        double w = rankSumX - nx * (nx + 1.0) / 2.0;
        double mn = (double)nx * ny;
        double cles = w / mn;

        int[] ties = Ranking.TieGroupSizes(pooled);
        bool hasTies = ties.Length != pooled.Length;
        if (nx < ExactLimit && ny < ExactLimit && !hasTies)
        {
            double p = WilcoxonDistributions.RankSumTwoSidedP((int)w, nx, ny);
            return new RankSumResult(nx, ny, w, p, TestMethods.Exact, cles);
        }

        if (ties.Length == 1)
        {
            // every value identical: zero variance, R returns NaN.
            return new RankSumResult(nx, ny, w, null, TestMethods.Normal, cles);
        }

        double n = nx + ny;
        double tieSum = Ranking.TieCorrectionSum(pooled);
        double z0 = w - mn / 2.0;
        double sigma = Math.Sqrt((mn / 12.0) * ((n + 1.0) - tieSum / (n * (n - 1.0))));
        double correction = Math.Sign(z0) * 0.5;
        double z = (z0 - correction) / sigma;
        return new RankSumResult(nx, ny, w, NormalDistribution.TwoSidedP(z), TestMethods.Normal, cles);
    }
}

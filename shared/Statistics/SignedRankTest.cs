namespace Icp.Statistics;

/// <summary>Result of a paired Wilcoxon signed-rank test.</summary>
/// <param name="NPairs">Number of differences given (including zeros).</param>
/// <param name="NZeroDifferences">Number of zero differences (dropped before ranking).</param>
/// <param name="NNonZero">Number of non-zero differences n that were ranked.</param>
/// <param name="V">Sum of the ranks of the positive differences (R's statistic V).</param>
/// <param name="SumNegativeRanks">Sum of the ranks of the negative differences; V + R⁻ = n(n+1)/2.</param>
/// <param name="PValue">Two-sided p-value; null when n = 0.</param>
/// <param name="Method"><see cref="TestMethods.Exact"/> or <see cref="TestMethods.Normal"/>.</param>
/// <param name="RankBiserial">Matched-pairs rank-biserial correlation (V − R⁻)/(V + R⁻); null when n = 0.</param>
public sealed record SignedRankResult(
    int NPairs, int NZeroDifferences, int NNonZero, double V, double SumNegativeRanks,
    double? PValue, string Method, double? RankBiserial);

/// <summary>
/// Paired two-sided Wilcoxon signed-rank test with the semantics of R's
/// <c>wilcox.test(x, y, paired = TRUE, exact = NULL, correct = TRUE)</c> on d = x − y.
/// </summary>
public static class SignedRankTest
{
    /// <summary>n must be smaller than this for the exact p-value (R's rule).</summary>
    public const int ExactLimit = 50;

    /// <summary>
    /// Runs the test on the differences d (for before/after: after − before). Zero differences are
    /// dropped; exact p-value iff n &lt; 50, no ties among |d| and no zero differences at all;
    /// otherwise the normal approximation with tie correction and continuity correction.
    /// </summary>
    public static SignedRankResult Test(IReadOnlyList<double> differences)
    {
        ArgumentNullException.ThrowIfNull(differences);
        var nonZero = new List<double>(differences.Count);
        int zeros = 0;
        foreach (double d in differences)
        {
            if (double.IsNaN(d)) throw new ArgumentException("Differences must not be NaN.", nameof(differences));
            if (d == 0) zeros++;
            else nonZero.Add(d);
        }
        int n = nonZero.Count;
        if (n == 0)
            return new SignedRankResult(differences.Count, zeros, 0, 0, 0, null, TestMethods.Normal, null);

        var abs = nonZero.Select(Math.Abs).ToArray();
        double[] ranks = Ranking.MidRanks(abs);
        double v = 0, neg = 0;
        for (int i = 0; i < n; i++)
        {
            if (nonZero[i] > 0) v += ranks[i];
            else neg += ranks[i];
        }
        double nd = n;
        double rankBiserial = (v - neg) / (nd * (nd + 1.0) / 2.0);

        int[] ties = Ranking.TieGroupSizes(abs);
        bool hasTies = ties.Length != n;
        if (n < ExactLimit && !hasTies && zeros == 0)
        {
            double p = WilcoxonDistributions.SignedRankTwoSidedP((int)v, n);
            return new SignedRankResult(differences.Count, zeros, n, v, neg, p, TestMethods.Exact, rankBiserial);
        }

        double tieSum = Ranking.TieCorrectionSum(abs);
        double z0 = v - nd * (nd + 1.0) / 4.0;
        double sigma = Math.Sqrt(nd * (nd + 1.0) * (2.0 * nd + 1.0) / 24.0 - tieSum / 48.0);
        double correction = Math.Sign(z0) * 0.5;
        double z = (z0 - correction) / sigma;
        return new SignedRankResult(differences.Count, zeros, n, v, neg, NormalDistribution.TwoSidedP(z), TestMethods.Normal, rankBiserial);
    }
}

using System.Numerics;

namespace Icp.Statistics.Tests;

public class WilcoxonDistributionTests
{
    [Fact]
    public void Rank_sum_distribution_for_two_and_two()
    {
        // x takes 2 of the pooled ranks 1..4 (C(4,2) = 6 ways); U = rank sum - 2*3/2 = rank sum - 3:
        // {1,2}->0, {1,3}->1, {1,4}->2, {2,3}->2, {2,4}->3, {3,4}->4  =>  counts 1,1,2,1,1
        Assert.Equal([(UInt128)1, 1, 2, 1, 1], WilcoxonDistributions.RankSumCounts(2, 2));
        Assert.Equal(2.0 / 6.0, WilcoxonDistributions.RankSumCdf(1, 2, 2), 1e-15);
        Assert.Equal(2.0 / 6.0, WilcoxonDistributions.RankSumProbability(2, 2, 2), 1e-15);
    }

    [Fact]
    public void Rank_sum_distribution_for_two_and_three()
    {
        // x takes 2 of ranks 1..5 (10 ways); U = a + b - 3:
        // {1,2}0 {1,3}1 {1,4}2 {1,5}3 {2,3}2 {2,4}3 {2,5}4 {3,4}4 {3,5}5 {4,5}6
        // => counts u=0..6: 1,1,2,2,2,1,1; the same for sizes (3, 2).
        UInt128[] expected = [1, 1, 2, 2, 2, 1, 1];
        Assert.Equal(expected, WilcoxonDistributions.RankSumCounts(2, 3));
        Assert.Equal(expected, WilcoxonDistributions.RankSumCounts(3, 2));
        // two-sided: W = 6 > 3 -> 2*P(U >= 6) = 2/10; W = 4 -> 2*P(U >= 4) = 2*4/10; W = 3 (centre) -> min(1, 2*6/10) = 1
        Assert.Equal(0.2, WilcoxonDistributions.RankSumTwoSidedP(6, 2, 3), 1e-15);
        Assert.Equal(0.8, WilcoxonDistributions.RankSumTwoSidedP(4, 2, 3), 1e-15);
        Assert.Equal(1.0, WilcoxonDistributions.RankSumTwoSidedP(3, 2, 3));
        Assert.Equal(0.2, WilcoxonDistributions.RankSumTwoSidedP(0, 2, 3), 1e-15);
    }

    [Fact]
    public void Rank_sum_counts_add_up_to_the_binomial_coefficient()
    {
        // C(98, 49) by the multiplicative formula, independently of the counting recursion.
        BigInteger c = 1;
        for (int i = 1; i <= 49; i++) c = c * (49 + i) / i;
        UInt128 sum = 0;
        UInt128[] counts = WilcoxonDistributions.RankSumCounts(49, 49);
        foreach (UInt128 x in counts) sum += x;
        Assert.Equal(c.ToString(), sum.ToString());
        Assert.Equal(49 * 49 + 1, counts.Length);
        for (int u = 0; u < counts.Length; u++) Assert.Equal(counts[u], counts[counts.Length - 1 - u]); // symmetric
    }

    [Fact]
    public void Signed_rank_distribution_for_three_and_four()
    {
        // subsets of {1,2,3}: {}0 {1}1 {2}2 {3}3 {1,2}3 {1,3}4 {2,3}5 {1,2,3}6 => 1,1,1,2,1,1,1 of 8
        Assert.Equal([1UL, 1, 1, 2, 1, 1, 1], WilcoxonDistributions.SignedRankCounts(3));
        // subsets of {1..4} by sum 0..10: 3 = {3},{1,2}; 4 = {4},{1,3}; 5 = {1,4},{2,3}; 6 = {2,4},{1,2,3};
        // 7 = {3,4},{1,2,4}; the rest once => 1,1,1,2,2,2,2,2,1,1,1 of 16
        Assert.Equal([1UL, 1, 1, 2, 2, 2, 2, 2, 1, 1, 1], WilcoxonDistributions.SignedRankCounts(4));
        Assert.Equal(3.0 / 8.0, WilcoxonDistributions.SignedRankCdf(2, 3), 1e-15);
        Assert.Equal(2.0 / 16.0, WilcoxonDistributions.SignedRankProbability(5, 4), 1e-15);
        // V = 6 of n = 3 (all positive): 2*P(V' >= 6) = 2/8
        Assert.Equal(0.25, WilcoxonDistributions.SignedRankTwoSidedP(6, 3), 1e-15);
        // V = 3 = n(n+1)/4 (centre): min(1, 2*P(V' <= 3)) = min(1, 2*5/8) = 1
        Assert.Equal(1.0, WilcoxonDistributions.SignedRankTwoSidedP(3, 3));
    }
}

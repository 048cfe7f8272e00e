namespace Icp.Statistics.Tests;

public class WilcoxonTestTests
{
    [Fact]
    public void Rank_sum_exact_on_complete_separation()
    {
        // x = after = {4, 5}, y = before = {1, 2, 3}: no ties, every x beats every y -> W = 2*3 = 6,
        // exact: 2*P(U >= 6) with sizes 2 and 3 = 2/10 (see the distribution test); CLES = 6/6 = 1.
        RankSumResult r = RankSumTest.Test([4, 5], [1, 2, 3]);
        Assert.Equal(6.0, r.W);
        Assert.Equal(TestMethods.Exact, r.Method);
        Assert.Equal(0.2, r.PValue!.Value, 1e-15);
        Assert.Equal(1.0, r.Cles);
    }

    [Fact]
    public void Rank_sum_normal_with_ties()
    {
        // x = {2, 2}, y = {1, 2}; pooled 2,2,1,2 -> ranks 3,3,1,3 (the three 2s share (2+3+4)/3 = 3).
        // W = (3 + 3) - 2*3/2 = 3 (= 2 wins + 0.5*2 ties). Ties -> normal.
        // z0 = 3 - 4/2 = 1; tie sum 3^3 - 3 = 24; sigma^2 = (4/12)*((4+1) - 24/(4*3)) = (1/3)*3 = 1;
        // z = (1 - 0.5)/1 = 0.5; p = erfc(0.5/sqrt 2) = 0.6170750774519738 (Python math.erfc).
        RankSumResult r = RankSumTest.Test([2, 2], [1, 2]);
        Assert.Equal(3.0, r.W);
        Assert.Equal(TestMethods.Normal, r.Method);
        Assert.Equal(0.6170750774519738, r.PValue!.Value, 1e-14);
        Assert.Equal(0.75, r.Cles);
    }

    [Fact]
    public void Rank_sum_all_identical_has_no_p_value()
    {
        RankSumResult r = RankSumTest.Test([5, 5], [5, 5, 5]);
        Assert.Equal(3.0, r.W); // 2*3/2
        Assert.Null(r.PValue);
        Assert.Equal(TestMethods.Normal, r.Method);
        Assert.Equal(0.5, r.Cles);
    }

    [Fact]
    public void Signed_rank_normal_with_zero_and_ties()
    {
        // d = 0, 1, -1, 2: the zero is dropped -> n = 3; |d| = 1, 1, 2 -> ranks 1.5, 1.5, 3.
        // V = 1.5 + 3 = 4.5, R- = 1.5 (sum 6 = 3*4/2). Zeros and ties -> normal.
        // z0 = 4.5 - 3*4/4 = 1.5; sigma^2 = 3*4*7/24 - (2^3 - 2)/48 = 3.5 - 0.125 = 3.375;
        // z = (1.5 - 0.5)/sqrt(3.375) = 0.5443310539518174; p = erfc(z/sqrt 2) = 0.58621368107314 (Python).
        // rank-biserial (4.5 - 1.5)/6 = 0.5.
        SignedRankResult r = SignedRankTest.Test([0, 1, -1, 2]);
        Assert.Equal(4, r.NPairs);
        Assert.Equal(1, r.NZeroDifferences);
        Assert.Equal(3, r.NNonZero);
        Assert.Equal(4.5, r.V);
        Assert.Equal(1.5, r.SumNegativeRanks);
        Assert.Equal(TestMethods.Normal, r.Method);
        Assert.Equal(0.58621368107314, r.PValue!.Value, 1e-14);
        Assert.Equal(0.5, r.RankBiserial);
    }

    [Fact]
    public void Signed_rank_exact_and_all_zero()
    {
        // d = 1, 2, 3: V = 6, exact 2*P(V' >= 6) = 2/8 = 0.25; r = 1
        SignedRankResult r = SignedRankTest.Test([1, 2, 3]);
        Assert.Equal(TestMethods.Exact, r.Method);
        Assert.Equal(0.25, r.PValue!.Value, 1e-15);
        Assert.Equal(1.0, r.RankBiserial);

        SignedRankResult zero = SignedRankTest.Test([0, 0]);
        Assert.Equal(0.0, zero.V);
        Assert.Null(zero.PValue);
        Assert.Null(zero.RankBiserial);
        Assert.Equal(TestMethods.Normal, zero.Method);
    }

    [Fact]
    public void Matched_analysis_pairs_by_code()
    {
        // Q: A1 2 -> 1 (d = -1), B2 3 -> 5 (d = +2), C3 skipped in wave 1, Z9 only in wave 1, Y8 only in wave 2.
        // n = 2, |d| = 1, 2 -> ranks 1, 2; V = 2, R- = 1; exact with n = 2: V' uniform on {0,1,2,3};
        // V = 2 > 1.5 -> 2*P(V' >= 2) = 2*2/4 = 1; rank-biserial (2 - 1)/3.
        var before = new[]
        {
            new CodedRespondent("B2", new Dictionary<string, int?> { ["Q"] = 3 }),
            new CodedRespondent("A1", new Dictionary<string, int?> { ["Q"] = 2 }),
            new CodedRespondent("C3", new Dictionary<string, int?> { ["Q"] = null }),
            new CodedRespondent("Z9", new Dictionary<string, int?> { ["Q"] = 1 }),
        };
        var after = new[]
        {
            new CodedRespondent("A1", new Dictionary<string, int?> { ["Q"] = 1 }),
            new CodedRespondent("C3", new Dictionary<string, int?> { ["Q"] = 4 }),
            new CodedRespondent("B2", new Dictionary<string, int?> { ["Q"] = 5 }),
            new CodedRespondent("Y8", new Dictionary<string, int?> { ["Q"] = 3 }),
        };
        MatchedItemResult r = Assert.Single(MatchedAnalysis.Analyse(["Q"], before, after));
        Assert.Equal(["A1", "B2"], r.MatchedCodes);
        Assert.Equal(2, r.NPairs);
        Assert.Equal(2.0, r.V);
        Assert.Equal(1.0, r.SumNegativeRanks);
        Assert.Equal(TestMethods.Exact, r.Method);
        Assert.Equal(1.0, r.PValue);
        Assert.Equal(1.0 / 3.0, r.RankBiserial!.Value, 1e-15);
    }

    [Fact]
    public void Matched_codes_are_case_sensitive_and_ordinal_sorted_and_unique()
    {
        var w1 = new[] { "b1", "B2", "a3" }.Select(c => new CodedRespondent(c, new Dictionary<string, int?> { ["Q"] = 1 }));
        var w2 = new[] { "a3", "b1", "B2", "A3" }.Select(c => new CodedRespondent(c, new Dictionary<string, int?> { ["Q"] = 2 }));
        // ordinal: 'B' (66) < 'a' (97) < 'b' (98); "A3" has no partner ("a3" differs in case).
        Assert.Equal(["B2", "a3", "b1"], MatchedAnalysis.Analyse(["Q"], w1, w2)[0].MatchedCodes);

        var dup = new[] { "X1", "X1" }.Select(c => new CodedRespondent(c, new Dictionary<string, int?>()));
        Assert.Throws<ArgumentException>(() => MatchedAnalysis.Analyse(["Q"], dup, w2));
    }
}

namespace Icp.Statistics.Tests;

public class PartnershipAssessmentTests
{
    [Theory]
    [InlineData(6, "D")]
    [InlineData(7, "C")]
    [InlineData(12, "C")]
    [InlineData(13, "B")]
    [InlineData(18, "B")]
    [InlineData(19, "A")]
    [InlineData(24, "A")]
    public void Principle_band_boundaries(int score, string band) =>
        Assert.Equal(band, PartnershipAssessment.PrincipleBand(score));

    [Theory]
    [InlineData(36, "D")]
    [InlineData(37, "C")]
    [InlineData(72, "C")]
    [InlineData(73, "B")]
    [InlineData(108, "B")]
    [InlineData(109, "A")]
    [InlineData(144, "A")]
    public void Total_band_boundaries(int total, string band) =>
        Assert.Equal(band, PartnershipAssessment.TotalBand(total));

    [Theory]
    [InlineData(5)]
    [InlineData(25)]
    public void Impossible_principle_scores_throw(int score) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => PartnershipAssessment.PrincipleBand(score));

    [Theory]
    [InlineData(35)]
    [InlineData(145)]
    public void Impossible_totals_throw(int total) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => PartnershipAssessment.TotalBand(total));

    private static IReadOnlyList<IReadOnlyList<int?>> All(int value) =>
        Enumerable.Range(0, 6).Select(_ => (IReadOnlyList<int?>)Enumerable.Repeat<int?>(value, 6).ToArray()).ToArray();

    [Fact]
    public void Scores_and_bands_of_whole_respondents()
    {
        // all 1s: 6 per principle (D), total 36 (D); all 4s: 24 (A), total 144 (A)
        PatRespondentScore low = PartnershipAssessment.Score(All(1));
        Assert.All(low.PrincipleScores, s => Assert.Equal(6, s));
        Assert.All(low.PrincipleBands, b => Assert.Equal("D", b));
        Assert.Equal(36, low.Total);
        Assert.Equal("D", low.TotalBand);
        PatRespondentScore high = PartnershipAssessment.Score(All(4));
        Assert.Equal(144, high.Total);
        Assert.Equal("A", high.TotalBand);

        // principle 1 = 4+4+4+4+2+1 = 19 (A), principle 2 = 3+3+3+2+1+1 = 13 (B), rest all 2s = 12 (C);
        // total 19 + 13 + 4*12 = 80 (B)
        var mixed = All(2).Select(p => p.ToArray()).ToArray();
        mixed[0] = [4, 4, 4, 4, 2, 1];
        mixed[1] = [3, 3, 3, 2, 1, 1];
        PatRespondentScore m = PartnershipAssessment.Score(mixed);
        Assert.Equal([19, 13, 12, 12, 12, 12], m.PrincipleScores);
        Assert.Equal(["A", "B", "C", "C", "C", "C"], m.PrincipleBands);
        Assert.Equal(80, m.Total);
        Assert.Equal("B", m.TotalBand);
    }

    [Fact]
    public void Missing_statement_gives_no_principle_score_and_no_total()
    {
        // R1: all 2s -> 12 per principle (C), total 72 (C).
        // R2: all 3s -> 18 per principle (B), but one statement of principle 3 missing -> principle 3 null, total null.
        var r2 = All(3).Select(p => p.ToArray()).ToArray();
        r2[2][4] = null;
        PatRespondentScore s1 = PartnershipAssessment.Score(All(2));
        PatRespondentScore s2 = PartnershipAssessment.Score(r2);
        Assert.Equal([18, 18, null, 18, 18, 18], s2.PrincipleScores);
        Assert.Equal(["B", "B", null, "B", "B", "B"], s2.PrincipleBands);
        Assert.Null(s2.Total);
        Assert.Null(s2.TotalBand);

        PatSummary summary = PartnershipAssessment.Summarise([s1, s2]);
        // principle 1: scores 12, 18 -> n 2, mean 15, sd sqrt((9 + 9)/1) = sqrt 18, median 15, B 1, C 1
        PatPrincipleSummary p1 = summary.Principles[0];
        Assert.Equal((1, 2, 15.0, 15.0, 12, 18), (p1.Principle, p1.N, p1.Mean, p1.Median, p1.Min, p1.Max));
        Assert.Equal(4.242640687119285, p1.Sd!.Value, 1e-15);
        Assert.Equal("A:0,B:1,C:1,D:0", string.Join(",", p1.BandCounts.Select(kv => $"{kv.Key}:{kv.Value}")));
        // principle 3: only R1 counts -> n 1, mean 12, sd null
        PatPrincipleSummary p3 = summary.Principles[2];
        Assert.Equal((3, 1, 12.0, 12.0, 12, 12), (p3.Principle, p3.N, p3.Mean, p3.Median, p3.Min, p3.Max));
        Assert.Null(p3.Sd);
        Assert.Equal(1, p3.BandCounts["C"]);
        // total: only R1 (72, C)
        Assert.Equal(1, summary.Total.N);
        Assert.Equal(72.0, summary.Total.Mean);
        Assert.Null(summary.Total.Sd);
        Assert.Equal("A:0,B:0,C:1,D:0", string.Join(",", summary.Total.BandCounts.Select(kv => $"{kv.Key}:{kv.Value}")));
    }

    [Fact]
    public void Invalid_shapes_and_values_throw()
    {
        var five = All(2).Take(5).ToArray();
        Assert.Throws<ArgumentException>(() => PartnershipAssessment.Score(five));
        var bad = All(2).Select(p => p.ToArray()).ToArray();
        bad[0][0] = 5;
        Assert.Throws<ArgumentOutOfRangeException>(() => PartnershipAssessment.Score(bad));
    }
}

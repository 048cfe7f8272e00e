using System.Text.Json;

namespace Icp.Statistics.Tests;

/// <summary>Partnership Assessment Tool scoring against every case of reference/surveys/pat.json (R 4.2.2).</summary>
public class PatReferenceTests
{
    public static TheoryData<string> CaseNames => ReferenceData.CaseNames("pat");

    [Fact]
    public void Every_case_and_respondent_is_loaded()
    {
        JsonElement[] cases = ReferenceData.Cases("pat");
        Assert.Equal(4, cases.Length);
        Assert.Equal(87, cases.Sum(c => c.GetProperty("respondents").GetArrayLength()));
        Assert.Equal(4, CaseNames.Count<object[]>());
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Case_matches_R(string caseName)
    {
        JsonElement c = ReferenceData.Case("pat", caseName);
        JsonElement[] respondents = c.GetProperty("respondents").EnumerateArray().ToArray();
        JsonElement expected = c.GetProperty("expected");
        JsonElement[] expectedRespondents = expected.GetProperty("respondents").EnumerateArray().ToArray();
        Assert.Equal(respondents.Length, expectedRespondents.Length);

        var cmp = new Comparison();
        var scores = new List<PatRespondentScore>();
        for (int k = 0; k < respondents.Length; k++)
        {
            JsonElement r = respondents[k];
            JsonElement e = expectedRespondents[k];
            string id = r.GetProperty("respondentId").GetString()!;
            cmp.Exact($"[{k}] respondentId", e.GetProperty("respondentId").GetString(), id);
            IReadOnlyList<IReadOnlyList<int?>> responses = r.GetProperty("responses").EnumerateArray()
                .Select(p => (IReadOnlyList<int?>)p.EnumerateArray().Select(ReferenceData.NullableInt).ToArray())
                .ToArray();
            PatRespondentScore s = PartnershipAssessment.Score(responses);
            scores.Add(s);
            cmp.Exact($"{id} principleScores",
                string.Join(",", e.GetProperty("principleScores").EnumerateArray().Select(x => Show(ReferenceData.NullableInt(x)))),
                string.Join(",", s.PrincipleScores.Select(Show)));
            cmp.Exact($"{id} principleBands",
                string.Join(",", e.GetProperty("principleBands").EnumerateArray().Select(x => x.GetString() ?? "null")),
                string.Join(",", s.PrincipleBands.Select(b => b ?? "null")));
            cmp.Exact($"{id} total", ReferenceData.NullableInt(e.GetProperty("total")), s.Total);
            cmp.Exact($"{id} totalBand", e.GetProperty("totalBand").GetString(), s.TotalBand);
        }

        PatSummary summary = PartnershipAssessment.Summarise(scores);
        JsonElement[] expectedPrinciples = expected.GetProperty("principles").EnumerateArray().ToArray();
        Assert.Equal(6, expectedPrinciples.Length);
        Assert.Equal(6, summary.Principles.Count);
        for (int p = 0; p < 6; p++)
        {
            JsonElement e = expectedPrinciples[p];
            PatPrincipleSummary a = summary.Principles[p];
            cmp.Exact($"principle[{p}] principle", e.GetProperty("principle").GetInt32(), a.Principle);
            CompareSummary(cmp, $"principle {p + 1}", e, a.N, a.Mean, a.Sd, a.Median, a.Min, a.Max, a.BandCounts);
        }
        PatTotalSummary t = summary.Total;
        CompareSummary(cmp, "total", expected.GetProperty("total"), t.N, t.Mean, t.Sd, t.Median, t.Min, t.Max, t.BandCounts);
        cmp.AssertAllPassed(caseName);
    }

    private static void CompareSummary(Comparison cmp, string what, JsonElement e,
        int n, double? mean, double? sd, double? median, int? min, int? max, IReadOnlyDictionary<string, int> bands)
    {
        cmp.Exact($"{what} n", e.GetProperty("n").GetInt32(), n);
        cmp.Close($"{what} mean", e.GetProperty("mean"), mean);
        cmp.Close($"{what} sd", e.GetProperty("sd"), sd);
        cmp.Close($"{what} median", e.GetProperty("median"), median);
        cmp.Exact($"{what} min", ReferenceData.NullableInt(e.GetProperty("min")), min);
        cmp.Exact($"{what} max", ReferenceData.NullableInt(e.GetProperty("max")), max);
        cmp.Exact($"{what} bandCounts",
            string.Join(",", e.GetProperty("bandCounts").EnumerateObject().Select(p => $"{p.Name}:{p.Value.GetInt32()}")),
            string.Join(",", bands.Select(kv => $"{kv.Key}:{kv.Value}")));
    }

    private static string Show(int? v) => v?.ToString() ?? "null";
}

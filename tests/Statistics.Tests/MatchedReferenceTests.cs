using System.Text.Json;

namespace Icp.Statistics.Tests;

/// <summary>Matched signed-rank analysis against every case of reference/surveys/matched.json (R 4.2.2).</summary>
public class MatchedReferenceTests
{
    public static TheoryData<string> CaseNames => ReferenceData.CaseNames("matched");

    [Fact]
    public void Every_case_and_item_is_loaded()
    {
        JsonElement[] cases = ReferenceData.Cases("matched");
        Assert.Equal(6, cases.Length);
        Assert.Equal(19, cases.Sum(c => c.GetProperty("items").GetArrayLength()));
        Assert.Equal(6, CaseNames.Count<object[]>());
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Case_matches_R(string caseName)
    {
        JsonElement c = ReferenceData.Case("matched", caseName);
        string[] itemIds = c.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("itemId").GetString()!).ToArray();
        JsonElement[] expected = c.GetProperty("expected").GetProperty("items").EnumerateArray().ToArray();
        Assert.Equal(itemIds.Length, expected.Length);

        IReadOnlyList<MatchedItemResult> actual = MatchedAnalysis.Analyse(
            itemIds, Respondents(c.GetProperty("wave1")), Respondents(c.GetProperty("wave2")));
        Assert.Equal(expected.Length, actual.Count);

        var cmp = new Comparison();
        for (int k = 0; k < expected.Length; k++)
        {
            JsonElement e = expected[k];
            MatchedItemResult a = actual[k];
            string id = e.GetProperty("itemId").GetString()!;
            cmp.Exact($"[{k}] itemId", id, a.ItemId);
            string expectedCodes = string.Join(",", e.GetProperty("matchedCodes").EnumerateArray().Select(x => x.GetString()));
            cmp.Exact($"{id} matchedCodes", expectedCodes, string.Join(",", a.MatchedCodes));
            cmp.Exact($"{id} nPairs", e.GetProperty("nPairs").GetInt32(), a.NPairs);
            cmp.Exact($"{id} nZeroDifferences", e.GetProperty("nZeroDifferences").GetInt32(), a.NZeroDifferences);
            cmp.Exact($"{id} nNonZero", e.GetProperty("nNonZero").GetInt32(), a.NNonZero);
            cmp.ExactNumber($"{id} v", e.GetProperty("v"), a.V);
            cmp.ExactNumber($"{id} sumNegativeRanks", e.GetProperty("sumNegativeRanks"), a.SumNegativeRanks);
            cmp.Exact($"{id} method", e.GetProperty("method").GetString(), a.Method);
            cmp.Relative($"{id} pValue", e.GetProperty("pValue"), a.PValue);
            cmp.Close($"{id} rankBiserial", e.GetProperty("rankBiserial"), a.RankBiserial);
        }
        cmp.AssertAllPassed(caseName);
    }

    private static List<CodedRespondent> Respondents(JsonElement wave) =>
        wave.EnumerateArray().Select(r => new CodedRespondent(
            r.GetProperty("code").GetString()!,
            r.GetProperty("responses").EnumerateObject().ToDictionary(p => p.Name, p => ReferenceData.NullableInt(p.Value))))
        .ToList();
}

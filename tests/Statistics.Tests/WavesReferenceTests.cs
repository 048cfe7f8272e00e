using System.Text.Json;

namespace Icp.Statistics.Tests;

/// <summary>Unpaired wave comparison against every case of reference/surveys/waves.json (R 4.2.2).</summary>
public class WavesReferenceTests
{
    public static TheoryData<string> CaseNames => ReferenceData.CaseNames("waves");

    [Fact]
    public void Every_case_and_item_is_loaded()
    {
        JsonElement[] cases = ReferenceData.Cases("waves");
        Assert.Equal(13, cases.Length);
        Assert.Equal(77, cases.Sum(c => c.GetProperty("items").GetArrayLength()));
        Assert.Equal(13, CaseNames.Count<object[]>());
        Assert.Equal(13, cases.Select(c => c.GetProperty("name").GetString()).Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Case_matches_R(string caseName)
    {
        JsonElement c = ReferenceData.Case("waves", caseName);
        JsonElement[] items = c.GetProperty("items").EnumerateArray().ToArray();
        JsonElement[] expected = c.GetProperty("expected").GetProperty("items").EnumerateArray().ToArray();
        Assert.Equal(items.Length, expected.Length);

        var input = items.Select(i => new ScaleItemWaves(
            i.GetProperty("itemId").GetString()!,
            i.GetProperty("scaleMin").GetInt32(),
            i.GetProperty("scaleMax").GetInt32(),
            i.GetProperty("positiveThreshold").GetInt32(),
            ReferenceData.Ints(i.GetProperty("wave1")),
            ReferenceData.Ints(i.GetProperty("wave2")))).ToList();

        IReadOnlyList<ItemComparison> actual = WaveComparison.Compare(input);
        Assert.Equal(expected.Length, actual.Count);

        var cmp = new Comparison();
        for (int k = 0; k < expected.Length; k++)
        {
            JsonElement e = expected[k];
            ItemComparison a = actual[k];
            string id = e.GetProperty("itemId").GetString()!;
            cmp.Exact($"[{k}] itemId", id, a.ItemId);
            cmp.Exact($"{id} n1", e.GetProperty("n1").GetInt32(), a.N1);
            cmp.Exact($"{id} n2", e.GetProperty("n2").GetInt32(), a.N2);
            cmp.ExactNumber($"{id} w", e.GetProperty("w"), a.W);
            cmp.Exact($"{id} method", e.GetProperty("method").GetString(), a.Method);
            cmp.Relative($"{id} pValue", e.GetProperty("pValue"), a.PValue);
            cmp.Relative($"{id} pAdjustedBH", e.GetProperty("pAdjustedBH"), a.PAdjustedBH);
            cmp.Close($"{id} cles", e.GetProperty("cles"), a.Cles);
            cmp.Close($"{id} positiveShare1", e.GetProperty("positiveShare1"), a.PositiveShare1);
            cmp.Close($"{id} positiveShare2", e.GetProperty("positiveShare2"), a.PositiveShare2);
            cmp.Close($"{id} ppChange", e.GetProperty("ppChange"), a.PpChange);
            CompareWave(cmp, $"{id} wave1", e.GetProperty("wave1"), a.Wave1);
            CompareWave(cmp, $"{id} wave2", e.GetProperty("wave2"), a.Wave2);
        }
        cmp.AssertAllPassed(caseName);
    }

    private static void CompareWave(Comparison cmp, string what, JsonElement e, WaveDescriptives a)
    {
        cmp.Exact($"{what} n", e.GetProperty("n").GetInt32(), a.N);
        cmp.Close($"{what} mean", e.GetProperty("mean"), a.Mean);
        cmp.Close($"{what} sd", e.GetProperty("sd"), a.Sd);
        cmp.Close($"{what} median", e.GetProperty("median"), a.Median);
        string expectedCounts = string.Join(",", e.GetProperty("counts").EnumerateObject().Select(p => $"{p.Name}:{p.Value.GetInt32()}"));
        string actualCounts = string.Join(",", a.Counts.Select(kv => $"{kv.Key}:{kv.Value}"));
        cmp.Exact($"{what} counts", expectedCounts, actualCounts);
    }
}

using System.Globalization;
using System.Text.Json;

namespace Icp.Spc.Tests;

/// <summary>Every R-computed reference case, each as its own test, compared field by field.</summary>
public sealed class ReferenceCaseTests
{
    private const double RelativeTolerance = 1e-6;
    private const double AbsoluteToleranceNearZero = 1e-12;

    public static TheoryData<string> CaseNames => ReferenceCases.Names();

    [Fact]
    public void Every_case_of_every_reference_file_is_loaded()
    {
        var casesPerFile = ReferenceCases.All
            .GroupBy(c => c.File)
            .ToDictionary(g => g.Key, g => g.Count());

        // Counts from the reference README: 50 cases in seven files.
        Assert.Equal(
            new Dictionary<string, int>
            {
                ["anhoej.json"] = 3,
                ["icons.json"] = 8,
                ["laney.json"] = 4,
                ["p.json"] = 5,
                ["rules.json"] = 14,
                ["u.json"] = 4,
                ["xmr.json"] = 12,
            },
            casesPerFile);
        Assert.Equal(50, ReferenceCases.All.Count);
        Assert.Equal(50, ReferenceCases.All.Select(c => c.Name).Distinct().Count());
        Assert.Equal(50, ((IEnumerable<object[]>)CaseNames).Count());
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Case_matches_the_R_reference(string caseName)
    {
        var referenceCase = ReferenceCases.Get(caseName);
        var result = SpcEngine.Calculate(referenceCase.Input, referenceCase.Options);
        var expected = referenceCase.Expected;
        var mismatches = new List<string>();

        Assert.Equal(referenceCase.Chart, result.Chart.ToContractString());
        ComparePhases(expected.GetProperty("phases"), result, mismatches);
        ComparePoints(expected.GetProperty("points"), result, mismatches);

        CompareText("variationIcon", expected.GetProperty("variationIcon"), result.VariationIcon.ToContractString(), mismatches);
        CompareText("assuranceIcon", expected.GetProperty("assuranceIcon"), result.AssuranceIcon.ToContractString(), mismatches);
        CompareAnhoej("anhoej", expected.GetProperty("anhoej"), result.Anhoej, mismatches);

        bool anyShortPhase = result.Phases.Any(p => p.N < 12);
        Assert.Equal(anyShortPhase, result.IsProvisional);

        Assert.True(mismatches.Count == 0, $"{caseName}: {mismatches.Count} mismatch(es):\n" + string.Join("\n", mismatches));
    }

    private static void ComparePhases(JsonElement expectedPhases, SpcResult result, List<string> mismatches)
    {
        Assert.Equal(expectedPhases.GetArrayLength(), result.Phases.Count);
        int p = 0;
        foreach (var expected in expectedPhases.EnumerateArray())
        {
            var actual = result.Phases[p];
            string at = $"phases[{p}]";
            CompareInt($"{at}.start", expected.GetProperty("start"), actual.Start, mismatches);
            CompareInt($"{at}.end", expected.GetProperty("end"), actual.End, mismatches);
            CompareInt($"{at}.n", expected.GetProperty("n"), actual.N, mismatches);
            CompareInt($"{at}.baselinePoints", expected.GetProperty("baselinePoints"), actual.BaselinePoints, mismatches);
            CompareNumber($"{at}.mean", expected.GetProperty("mean"), actual.Mean, mismatches);
            CompareNumber($"{at}.lpl", expected.GetProperty("lpl"), actual.Lpl, mismatches);
            CompareNumber($"{at}.upl", expected.GetProperty("upl"), actual.Upl, mismatches);
            CompareOptionalNumber($"{at}.nlpl", expected, "nlpl", actual.Nlpl, mismatches);
            CompareOptionalNumber($"{at}.nupl", expected, "nupl", actual.Nupl, mismatches);
            CompareOptionalNumber($"{at}.amr", expected, "amr", actual.Amr, mismatches);
            CompareOptionalNumber($"{at}.sigmaZ", expected, "sigmaZ", actual.SigmaZ, mismatches);
            CompareAnhoej($"{at}.anhoej", expected.GetProperty("anhoej"), actual.Anhoej, mismatches);
            p++;
        }
    }

    private static void ComparePoints(JsonElement expectedPoints, SpcResult result, List<string> mismatches)
    {
        Assert.Equal(expectedPoints.GetArrayLength(), result.Points.Count);
        int i = 0;
        foreach (var expected in expectedPoints.EnumerateArray())
        {
            var actual = result.Points[i];
            string at = $"points[{i}]";
            CompareInt($"{at}.index", expected.GetProperty("index"), actual.Index, mismatches);
            if (expected.GetProperty("excluded").GetBoolean() != actual.Excluded)
                mismatches.Add($"{at}.excluded: expected {expected.GetProperty("excluded")}, got {actual.Excluded}");
            CompareNumber($"{at}.value", expected.GetProperty("value"), actual.Value, mismatches);
            CompareNumber($"{at}.mean", expected.GetProperty("mean"), actual.Mean, mismatches);
            CompareNumber($"{at}.lpl", expected.GetProperty("lpl"), actual.Lpl, mismatches);
            CompareNumber($"{at}.upl", expected.GetProperty("upl"), actual.Upl, mismatches);
            CompareNumber($"{at}.nlpl", expected.GetProperty("nlpl"), actual.Nlpl, mismatches);
            CompareNumber($"{at}.nupl", expected.GetProperty("nupl"), actual.Nupl, mismatches);
            CompareText($"{at}.pointType", expected.GetProperty("pointType"), actual.PointType.ToContractString(), mismatches);
            CompareText($"{at}.rule", expected.GetProperty("rule"), actual.Rule.ToContractString(), mismatches);
            i++;
        }
    }

    private static void CompareAnhoej(string at, JsonElement expected, AnhoejResult actual, List<string> mismatches)
    {
        CompareInt($"{at}.nUseful", expected.GetProperty("nUseful"), actual.NUseful, mismatches);
        CompareInt($"{at}.longestRun", expected.GetProperty("longestRun"), actual.LongestRun, mismatches);
        CompareInt($"{at}.longestRunLimit", expected.GetProperty("longestRunLimit"), actual.LongestRunLimit, mismatches);
        CompareInt($"{at}.crossings", expected.GetProperty("crossings"), actual.Crossings, mismatches);
        CompareInt($"{at}.crossingsMin", expected.GetProperty("crossingsMin"), actual.CrossingsMin, mismatches);
        if (expected.GetProperty("signal").GetBoolean() != actual.Signal)
            mismatches.Add($"{at}.signal: expected {expected.GetProperty("signal")}, got {actual.Signal}");
    }

    /// <summary>A key missing from the expected object means the field does not apply, so the engine must give null.</summary>
    private static void CompareOptionalNumber(string at, JsonElement expectedObject, string key, double? actual, List<string> mismatches)
    {
        if (expectedObject.TryGetProperty(key, out var expected))
            CompareNumber(at, expected, actual, mismatches);
        else if (actual is not null)
            mismatches.Add($"{at}: not in the reference, so expected null, got {actual}");
    }

    private static void CompareNumber(string at, JsonElement expected, double? actual, List<string> mismatches)
    {
        double? expectedValue = ReferenceCases.NullableDouble(expected);
        if (expectedValue is null || actual is null)
        {
            if (expectedValue != actual)
                mismatches.Add($"{at}: expected {Format(expectedValue)}, got {Format(actual)}");
            return;
        }
        double tolerance = Math.Max(RelativeTolerance * Math.Abs(expectedValue.Value), AbsoluteToleranceNearZero);
        if (!(Math.Abs(expectedValue.Value - actual.Value) <= tolerance))
            mismatches.Add($"{at}: expected {Format(expectedValue)}, got {Format(actual)}");
    }

    private static void CompareInt(string at, JsonElement expected, int? actual, List<string> mismatches)
    {
        int? expectedValue = ReferenceCases.NullableInt(expected);
        if (expectedValue != actual)
            mismatches.Add($"{at}: expected {expectedValue?.ToString(CultureInfo.InvariantCulture) ?? "null"}, got {actual?.ToString(CultureInfo.InvariantCulture) ?? "null"}");
    }

    private static void CompareText(string at, JsonElement expected, string? actual, List<string> mismatches)
    {
        string? expectedValue = ReferenceCases.NullableString(expected);
        if (expectedValue != actual)
            mismatches.Add($"{at}: expected {expectedValue ?? "null"}, got {actual ?? "null"}");
    }

    private static string Format(double? value) => value?.ToString("R", CultureInfo.InvariantCulture) ?? "null";
}

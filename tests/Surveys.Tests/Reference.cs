using System.Globalization;
using System.Text.Json;
using Icp.Contracts.Surveys;

namespace Icp.Surveys.Tests;

/// <summary>
/// The R reference cases (tests/reference/surveys), turned into what the platform stores: an instrument and
/// per-respondent responses. Expected values are R's, never the code under test's.
/// </summary>
internal static class Reference
{
    private static readonly Dictionary<string, JsonDocument> Files = new();

    public static JsonElement Case(string kind, string name)
    {
        lock (Files)
        {
            if (!Files.TryGetValue(kind, out var doc))
                Files[kind] = doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "reference", "surveys", kind + ".json")));
            return doc.RootElement.GetProperty("cases").EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);
        }
    }

    public static InstrumentDefinedV1 WavesInstrument(JsonElement @case, string instrumentId) => new(instrumentId, "Reference " + instrumentId, "none",
        @case.GetProperty("items").EnumerateArray().Select(i => new SurveyItem(i.GetProperty("itemId").GetString()!, "Question " + i.GetProperty("itemId").GetString(),
            null, "scale", null, i.GetProperty("scaleMin").GetInt32(), i.GetProperty("scaleMax").GetInt32(),
            i.TryGetProperty("positiveThreshold", out var t) ? t.GetInt32() : i.GetProperty("scaleMax").GetInt32(), null, null)).ToList());

    /// <summary>Respondent i of a wave answers item j with the j-th item's i-th answer (null where that array is shorter).</summary>
    public static List<SurveyResponse> WavesResponses(JsonElement @case, string wave, string prefix)
    {
        var items = @case.GetProperty("items").EnumerateArray()
            .Select(i => (Id: i.GetProperty("itemId").GetString()!, Answers: i.GetProperty(wave).EnumerateArray().Select(a => a.GetInt32()).ToArray()))
            .ToList();
        var respondents = items.Max(i => i.Answers.Length);
        return Enumerable.Range(0, respondents).Select(r => new SurveyResponse($"{prefix}{r + 1:000}", null, null, null, [],
            items.ToDictionary(i => i.Id, i => r < i.Answers.Length ? i.Answers[r] : (int?)null), new Dictionary<string, string>())).ToList();
    }

    public static List<SurveyResponse> MatchedResponses(JsonElement @case, string wave, string prefix) =>
        @case.GetProperty(wave).EnumerateArray().Select((r, i) => new SurveyResponse($"{prefix}{i + 1:000}", r.GetProperty("code").GetString(), null, null, [],
            r.GetProperty("responses").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.ValueKind == JsonValueKind.Null ? null : (int?)p.Value.GetInt32()),
            new Dictionary<string, string>())).ToList();

    public static InstrumentDefinedV1 MatchedInstrument(JsonElement @case, string instrumentId) => new(instrumentId, "Matched " + instrumentId, "none",
        @case.GetProperty("items").EnumerateArray().Select(i => new SurveyItem(i.GetProperty("itemId").GetString()!, "Question", null, "scale", null,
            i.GetProperty("scaleMin").GetInt32(), i.GetProperty("scaleMax").GetInt32(), i.GetProperty("scaleMax").GetInt32(), null, null)).ToList());

    /// <summary>PAT respondents answer the template's statements P{p}S{s}.</summary>
    public static List<SurveyResponse> PatResponses(JsonElement @case) =>
        @case.GetProperty("respondents").EnumerateArray().Select(r =>
        {
            var answers = new Dictionary<string, int?>();
            var principles = r.GetProperty("responses").EnumerateArray().ToArray();
            for (var p = 0; p < 6; p++)
            {
                var statements = principles[p].EnumerateArray().ToArray();
                for (var s = 0; s < 6; s++)
                    answers[$"P{p + 1}S{s + 1}"] = statements[s].ValueKind == JsonValueKind.Null ? null : statements[s].GetInt32();
            }
            return new SurveyResponse(r.GetProperty("respondentId").GetString()!, null, null, null, [], answers, new Dictionary<string, string>());
        }).ToList();

    public static double? Number(JsonElement e) =>
        e.ValueKind == JsonValueKind.Null ? null : double.Parse(e.GetRawText(), CultureInfo.InvariantCulture);

    /// <summary>p-values: relative 1e-9; other doubles: 1e-9·max(|e|, 1) (the README's tolerances).</summary>
    public static void Close(JsonElement expected, double? actual, string what, bool relative = false)
    {
        var e = Number(expected);
        if (e is null)
        {
            Assert.True(actual is null, $"{what}: expected null, got {actual}");
            return;
        }
        Assert.True(actual is not null, $"{what}: expected {e}, got null");
        var tolerance = relative ? 1e-9 * Math.Abs(e.Value) : 1e-9 * Math.Max(Math.Abs(e.Value), 1);
        Assert.True(Math.Abs(actual!.Value - e.Value) <= tolerance, $"{what}: expected {e}, got {actual}");
    }
}

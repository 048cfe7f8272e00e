using System.Net.Http.Json;
using System.Text.Json;
using Icp.Contracts.Surveys;
using Icp.TestSupport;

namespace Icp.Surveys.Tests;

/// <summary>
/// End to end on real infrastructure: responses submitted to the surveys service travel as events through the outbox
/// and RabbitMQ into the projection service, whose analyses must equal R's reference values, also after a rebuild.
/// </summary>
public sealed class SurveyPipelineTests(SurveyStack stack) : IClassFixture<SurveyStack>
{
    private static object ToRequest(SurveyResponse r) => new
    {
        respondentId = r.RespondentId, code = r.Code, organisation = r.Organisation, teams = r.Teams,
        answers = r.Answers.ToDictionary(a => a.Key, a => (object?)a.Value),
    };

    private async Task PutInstrumentAsync(InstrumentDefinedV1 instrument) =>
        await SurveyStack.ExpectAsync(await stack.Surveys.PutAsJsonAsync($"/api/v1/instruments/{instrument.InstrumentId}", new
        {
            name = instrument.Name, scoring = instrument.Scoring,
            items = instrument.Items.Select(i => new { i.ItemId, i.Text, i.Kind, i.ScaleMin, i.ScaleMax, i.PositiveThreshold, i.Group }),
        }), 201);

    private async Task WaveWithResponsesAsync(string waveId, string instrumentId, int invited, IEnumerable<SurveyResponse> responses)
    {
        await SurveyStack.ExpectAsync(await stack.Surveys.PutAsJsonAsync($"/api/v1/waves/{waveId}",
            new { instrumentId, month = "2024-11", invited, unitIds = new[] { "east" } }), 201);
        await SurveyStack.ExpectAsync(await stack.Surveys.PostAsJsonAsync($"/api/v1/waves/{waveId}/responses",
            new { submissionId = $"{waveId}-all", responses = responses.Select(ToRequest) }), 202);
    }

    private async Task<JsonElement> EventuallyGetAsync(string path, Func<JsonElement, bool> ready)
    {
        JsonElement body = default;
        await TestInfrastructure.EventuallyAsync(async () =>
        {
            var response = await stack.Projections.GetAsync(path);
            if (!response.IsSuccessStatusCode) return false;
            body = await SurveyStack.JsonAsync(response);
            return ready(body);
        }, $"GET {path}");
        return body;
    }

    [Fact]
    public async Task Wave_comparison_and_wave_summary_come_out_as_R_computed_them_and_survive_a_rebuild()
    {
        var @case = Reference.Case("waves", "staff-survey-17v18");
        await PutInstrumentAsync(Reference.WavesInstrument(@case, "ref-staff"));
        await WaveWithResponsesAsync("staff-2024", "ref-staff", 40, Reference.WavesResponses(@case, "wave1", "a"));
        await WaveWithResponsesAsync("staff-2025", "ref-staff", 40, Reference.WavesResponses(@case, "wave2", "b"));

        const string path = "/api/v1/surveys/compare?before=staff-2024&after=staff-2025";
        var compare = await EventuallyGetAsync(path, b => b.GetProperty("respondents1").GetInt32() == 17 && b.GetProperty("respondents2").GetInt32() == 18);
        AssertMatchesR(@case, compare);

        var summary = await EventuallyGetAsync("/api/v1/surveys/waves/staff-2025", b => b.GetProperty("respondents").GetInt32() == 18);
        var expectedWave2 = @case.GetProperty("expected").GetProperty("items")[0].GetProperty("wave2");
        Reference.Close(expectedWave2.GetProperty("mean"), summary.GetProperty("items")[0].GetProperty("mean").GetDouble(), "wave 2 Q01 mean");
        Assert.Equal(0.45, summary.GetProperty("responseRate").GetDouble(), 12);

        await SurveyStack.ExpectAsync(await stack.Projections.PostAsync("/api/v1/admin/rebuild", null), 202);
        var rebuilt = await EventuallyGetAsync(path, b => b.GetProperty("respondents1").GetInt32() == 17 && b.GetProperty("respondents2").GetInt32() == 18);
        AssertMatchesR(@case, rebuilt);
    }

    private static void AssertMatchesR(JsonElement @case, JsonElement compare)
    {
        var expected = @case.GetProperty("expected").GetProperty("items").EnumerateArray().ToArray();
        var items = compare.GetProperty("items").EnumerateArray().ToArray();
        Assert.Equal(expected.Length, items.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            var (e, a) = (expected[i], items[i]);
            Assert.Equal(e.GetProperty("itemId").GetString(), a.GetProperty("itemId").GetString());
            foreach (var exact in new[] { "n1", "n2", "w" }) Assert.Equal(Reference.Number(e.GetProperty(exact)), Reference.Number(a.GetProperty(exact)));
            Assert.Equal(e.GetProperty("method").GetString(), a.GetProperty("method").GetString());
            foreach (var p in new[] { "pValue", "pAdjustedBH" }) Reference.Close(e.GetProperty(p), Reference.Number(a.GetProperty(p)), p, relative: true);
            foreach (var d in new[] { "cles", "positiveShare1", "positiveShare2", "ppChange" }) Reference.Close(e.GetProperty(d), Reference.Number(a.GetProperty(d)), d);
            Assert.True(JsonElement.DeepEquals(e.GetProperty("wave1").GetProperty("counts"), a.GetProperty("wave1").GetProperty("counts")), "wave 1 counts");
        }
    }

    [Fact]
    public async Task Matched_analysis_links_identification_codes_across_waves_as_R_did()
    {
        var @case = Reference.Case("matched", "matched-staff-17v18");
        await PutInstrumentAsync(Reference.MatchedInstrument(@case, "ref-matched"));
        var before = Reference.MatchedResponses(@case, "wave1", "a");
        var after = Reference.MatchedResponses(@case, "wave2", "b");
        await WaveWithResponsesAsync("m-2024", "ref-matched", 40, before);
        await WaveWithResponsesAsync("m-2025", "ref-matched", 40, after);

        var matched = await EventuallyGetAsync("/api/v1/surveys/matched?before=m-2024&after=m-2025",
            b => b.GetProperty("items")[0].GetProperty("nPairs").GetInt32() > 0 &&
                 (b.GetProperty("matchedRespondents").GetInt32() == before.Select(r => r.Code).Intersect(after.Select(r => r.Code)).Count()));

        var expected = @case.GetProperty("expected").GetProperty("items").EnumerateArray().ToArray();
        var items = matched.GetProperty("items").EnumerateArray().ToArray();
        Assert.Equal(expected.Length, items.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            foreach (var exact in new[] { "nPairs", "nZeroDifferences", "nNonZero", "v", "sumNegativeRanks" })
                Assert.Equal(Reference.Number(expected[i].GetProperty(exact)), Reference.Number(items[i].GetProperty(exact)));
            Reference.Close(expected[i].GetProperty("pValue"), Reference.Number(items[i].GetProperty("pValue")), "pValue", relative: true);
            Reference.Close(expected[i].GetProperty("rankBiserial"), Reference.Number(items[i].GetProperty("rankBiserial")), "rankBiserial");
        }
    }

    [Fact]
    public async Task Partnership_assessment_scores_profile_and_coded_comments()
    {
        var @case = Reference.Case("pat", "pat-15-missing");
        await SurveyStack.ExpectAsync(await stack.Surveys.PostAsync("/api/v1/instruments/pat/from-template/partnership-assessment", null), 201);
        var responses = Reference.PatResponses(@case).Select((r, i) => r with
        {
            Organisation = i < 10 ? "Community health" : "Housing",
            Answers = new Dictionary<string, int?>(r.Answers) { ["AIMS"] = i % 3 == 0 ? 1 : 2 },
        }).ToList();
        await WaveWithResponsesAsync("pat-2025", "pat", 44, responses);
        await SurveyStack.ExpectAsync(await stack.Surveys.PostAsJsonAsync("/api/v1/waves/pat-2025/responses", new
        {
            submissionId = "pat-comments",
            responses = new[]
            {
                new { respondentId = "extra1", answers = new Dictionary<string, object?> { ["COMMENTS"] = "Meetings are shorter and decisions stick." } },
            },
        }), 202);
        await SurveyStack.ExpectAsync(await stack.Surveys.PutAsJsonAsync("/api/v1/waves/pat-2025/comments/extra1/COMMENTS/coding",
            new { themes = new[] { "Decision making" }, sentiment = "positive" }), 200);

        var pat = await EventuallyGetAsync("/api/v1/pat/pat-2025", b => b.GetProperty("respondents").GetInt32() == 16);
        var expected = @case.GetProperty("expected");
        for (var p = 0; p < 6; p++)
        {
            var (e, a) = (expected.GetProperty("principles")[p], pat.GetProperty("principles")[p]);
            Assert.Equal(e.GetProperty("n").GetInt32(), a.GetProperty("n").GetInt32());
            Reference.Close(e.GetProperty("mean"), a.GetProperty("mean").GetDouble(), $"principle {p + 1} mean");
            Reference.Close(e.GetProperty("sd"), a.GetProperty("sd").GetDouble(), $"principle {p + 1} sd");
            Assert.True(JsonElement.DeepEquals(e.GetProperty("bandCounts"), a.GetProperty("bandCounts")), $"principle {p + 1} band counts");
        }
        Reference.Close(expected.GetProperty("total").GetProperty("mean"), pat.GetProperty("total").GetProperty("mean").GetDouble(), "total mean");
        Assert.Equal(16 / 44.0, pat.GetProperty("responseRate").GetDouble(), 12);
        Assert.Equal((10, 5, 1), (pat.GetProperty("aims").GetProperty("agree").GetInt32(), pat.GetProperty("aims").GetProperty("disagree").GetInt32(),
            pat.GetProperty("aims").GetProperty("notAnswered").GetInt32()));
        var organisations = pat.GetProperty("byOrganisation").EnumerateArray()
            .Select(g => (g.GetProperty("group").GetString(), g.GetProperty("respondents").GetInt32(), g.GetProperty("suppressed").GetBoolean())).ToList();
        Assert.Equal([("(not stated)", 1, true), ("Community health", 10, false), ("Housing", 5, false)], organisations);

        var svg = await stack.Projections.GetAsync("/api/v1/pat/pat-2025/profile.svg?by=organisation");
        Assert.Equal("image/svg+xml", svg.Content.Headers.ContentType!.MediaType);
        var text = await svg.Content.ReadAsStringAsync();
        Assert.Contains("16 respondents of 44 invited", text);
        Assert.Contains("Community health (n=10)", text);
        Assert.Contains("1 organisation group(s) with fewer than 5 respondents not shown", text);

        var themes = await EventuallyGetAsync("/api/v1/surveys/waves/pat-2025/themes", b => b.GetProperty("coded").GetInt32() == 1);
        Assert.Equal("Decision making", themes.GetProperty("themes")[0].GetProperty("theme").GetString());
        Assert.Equal(1, themes.GetProperty("themes")[0].GetProperty("positive").GetInt32());

        Assert.Equal(404, (int)(await stack.Projections.GetAsync("/api/v1/pat/no-such-wave")).StatusCode);
        Assert.Equal(400, (int)(await stack.Projections.GetAsync("/api/v1/surveys/compare?before=pat-2025")).StatusCode);
    }
}

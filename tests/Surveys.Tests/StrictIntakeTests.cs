using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Icp.TestSupport;
using Npgsql;

namespace Icp.Surveys.Tests;

/// <summary>Hostile and careless input to the surveys service, and blank responses as survey tools export them.</summary>
public sealed class StrictIntakeTests(SurveyStack stack) : IClassFixture<SurveyStack>
{
    private HttpClient Api => stack.Surveys;

    private async Task<long> EventsAsync()
    {
        await using var connection = new NpgsqlConnection(TestInfrastructure.ConnectionString(stack.SurveysDatabase));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("select count(*) from mt_events", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private async Task WaveAsync(string waveId)
    {
        var created = await Api.PostAsync($"/api/v1/instruments/{waveId}-i/from-template/int-staff-survey", null);
        Assert.True((int)created.StatusCode is 200 or 201, await created.Content.ReadAsStringAsync());
        await SurveyStack.ExpectAsync(await Api.PutAsJsonAsync($"/api/v1/waves/{waveId}",
            new { instrumentId = $"{waveId}-i", month = "2024-11", invited = 40, unitIds = new[] { "east" } }), 201);
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    [Fact]
    public async Task Nul_in_an_instrument_a_wave_or_a_comment_is_a_400_naming_the_field()
    {
        await WaveAsync("nul");
        var before = await EventsAsync();
        var instrument = await SurveyStack.ExpectAsync(await Api.PutAsync("/api/v1/instruments/nul-x", Json("""
            { "name": "Staff\u0000survey", "items": [ { "itemId": "Q1", "text": "Q", "kind": "scale", "scaleMin": 1, "scaleMax": 5, "positiveThreshold": 4 } ] }
            """)), 400);
        Assert.Equal([((int?)null, "name")], instrument.Errors());
        var wave = await SurveyStack.ExpectAsync(await Api.PutAsync("/api/v1/waves/nul", Json("""
            { "instrumentId": "nul-i", "name": "Wave\u0000one", "month": "2024-11" }
            """)), 400);
        Assert.Equal([((int?)null, "name")], wave.Errors());
        var comment = await SurveyStack.ExpectAsync(await Api.PostAsync("/api/v1/waves/nul/responses", Json("""
            { "submissionId": "n1", "responses": [ { "respondentId": "r1", "answers": { "Q01": 4, "C1": "a\u0000b" } } ] }
            """)), 400);
        Assert.Equal([((int?)1, "answers.C1")], comment.Errors());
        Assert.Equal(before, await EventsAsync());
    }

    [Fact]
    public async Task Blank_responses_are_counted_as_received_and_left_out_of_every_statistic()
    {
        await WaveAsync("blank");
        const string csv = "respondent_id,Q01,Q02,C1\nr1,4,5,Good\nr2,,,\nr3,2,,\nr4,,, \n";
        var accepted = await SurveyStack.ExpectAsync(await Api.PostAsync("/api/v1/waves/blank/responses?submissionId=b1&source=forms",
            new StringContent(csv, Encoding.UTF8, "text/csv")), 202);
        Assert.Equal((4, 2), (accepted.GetProperty("responses").GetInt32(), accepted.GetProperty("blank").GetInt32()));
        Assert.Contains("left out of every statistic", accepted.GetProperty("note").GetString());
        var wave = await SurveyStack.ExpectAsync(await Api.GetAsync("/api/v1/waves/blank"), 200);
        Assert.Equal(2, wave.GetProperty("responses").GetInt32());

        JsonElement summary = default;
        await TestInfrastructure.EventuallyAsync(async () =>
        {
            var response = await stack.Projections.GetAsync("/api/v1/surveys/waves/blank");
            if (!response.IsSuccessStatusCode) return false;
            summary = await SurveyStack.JsonAsync(response);
            return summary.GetProperty("respondents").GetInt32() == 2;
        }, "the two answering responses in the wave's summary");
        var q01 = summary.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("itemId").GetString() == "Q01");
        Assert.Equal(2, q01.GetProperty("n").GetInt32());

        // The same CSV again is a replay; other rows under the same submission id are a conflict.
        var replay = await SurveyStack.ExpectAsync(await Api.PostAsync("/api/v1/waves/blank/responses?submissionId=b1&source=forms",
            new StringContent(csv, Encoding.UTF8, "text/csv")), 202);
        Assert.Equal(accepted.ToString(), replay.ToString());
        var before = await EventsAsync();
        await SurveyStack.ExpectAsync(await Api.PostAsync("/api/v1/waves/blank/responses?submissionId=b1&source=forms",
            new StringContent(csv.Replace("r3,2", "r3,3"), Encoding.UTF8, "text/csv")), 409);
        Assert.Equal(before, await EventsAsync());
    }

    [Fact]
    public async Task Unknown_fields_duplicate_keys_and_duplicate_csv_columns_are_refused()
    {
        await WaveAsync("strict");
        var unknown = await SurveyStack.ExpectAsync(await Api.PostAsync("/api/v1/waves/strict/responses", Json("""
            { "submissionId": "u1", "responses": [ { "respondentId": "r1", "answers": { "Q01": 4 }, "fullName": "A Person" } ] }
            """)), 400);
        Assert.Equal([((int?)1, "fullName")], unknown.Errors());
        Assert.DoesNotContain("Icp.", unknown.ToString());
        var duplicate = await SurveyStack.ExpectAsync(await Api.PostAsync("/api/v1/waves/strict/responses", Json("""
            { "submissionId": "u2", "responses": [ { "respondentId": "r1", "answers": { "Q01": 4, "Q01": 1 } } ] }
            """)), 400);
        Assert.Equal([((int?)1, "answers.Q01")], duplicate.Errors());
        var columns = await SurveyStack.ExpectAsync(await Api.PostAsync("/api/v1/waves/strict/responses?submissionId=u3",
            new StringContent("respondent_id,Q01,q01\nr1,4,5\n", Encoding.UTF8, "text/csv")), 400);
        Assert.Contains(((int?)null, "q01"), columns.Errors());
    }
}

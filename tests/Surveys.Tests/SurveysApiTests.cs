using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Icp.TestSupport;
using Npgsql;

namespace Icp.Surveys.Tests;

/// <summary>The surveys service's HTTP API on real infrastructure.</summary>
public sealed class SurveysApiTests(SurveyStack stack) : IClassFixture<SurveyStack>
{
    private HttpClient Api => stack.Surveys;

    private async Task<long> CountEventsAsync(string eventType)
    {
        await using var connection = new NpgsqlConnection(TestInfrastructure.ConnectionString(stack.SurveysDatabase));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("select count(*) from mt_events where type = $1", connection) { Parameters = { new() { Value = eventType } } };
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private async Task CreateStaffWaveAsync(string instrumentId, string waveId, int invited = 40)
    {
        var created = await Api.PostAsync($"/api/v1/instruments/{instrumentId}/from-template/int-staff-survey", null);
        Assert.True((int)created.StatusCode is 200 or 201, await created.Content.ReadAsStringAsync());
        await SurveyStack.ExpectAsync(await Api.PutAsJsonAsync($"/api/v1/waves/{waveId}",
            new { instrumentId, month = "2024-11", invited, unitIds = new[] { "east" } }), 201);
    }

    private static object Submission(string submissionId, params object[] responses) => new { submissionId, responses };

    [Fact]
    public async Task Templates_become_editable_instruments()
    {
        var templates = await SurveyStack.ExpectAsync(await Api.GetAsync("/api/v1/instrument-templates"), 200);
        Assert.Equal(["int-staff-survey", "partnership-assessment"], templates.EnumerateArray().Select(t => t.GetProperty("templateId").GetString()));

        var created = await SurveyStack.ExpectAsync(await Api.PostAsync("/api/v1/instruments/pat-2025/from-template/partnership-assessment?name=PAT%202025", null), 201);
        Assert.Equal(("PAT 2025", "pat", 38), (created.GetProperty("name").GetString(), created.GetProperty("scoring").GetString(), created.GetProperty("items").GetArrayLength()));

        // Editing: fetch, change a wording, PUT back.
        var template = await SurveyStack.ExpectAsync(await Api.GetAsync("/api/v1/instrument-templates/partnership-assessment"), 200);
        var instrument = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(template.GetProperty("instrument").GetRawText())!;
        var items = instrument["items"].EnumerateArray().Select(i => JsonSerializer.Deserialize<Dictionary<string, object?>>(i.GetRawText())!).ToList();
        items[0]["text"] = "Our own wording of the first statement.";
        var updated = await SurveyStack.ExpectAsync(await Api.PutAsJsonAsync("/api/v1/instruments/pat-2025",
            new { name = "PAT 2025", scoring = "pat", items }), 200);
        Assert.Equal("Our own wording of the first statement.", updated.GetProperty("items")[0].GetProperty("text").GetString());
        Assert.Equal(200, (int)(await Api.PutAsJsonAsync("/api/v1/instruments/pat-2025", new { name = "PAT 2025", scoring = "pat", items })).StatusCode);
        Assert.Equal(2, await CountEventsAsync("InstrumentDefinedV1") - await CountOtherInstrumentsAsync());

        var listed = await SurveyStack.ExpectAsync(await Api.GetAsync("/api/v1/instruments"), 200);
        Assert.Contains(listed.EnumerateArray(), i => i.GetProperty("instrumentId").GetString() == "pat-2025");
    }

    private async Task<long> CountOtherInstrumentsAsync()
    {
        await using var connection = new NpgsqlConnection(TestInfrastructure.ConnectionString(stack.SurveysDatabase));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("select count(*) from mt_events where type = 'InstrumentDefinedV1' and stream_id <> 'instrument/pat-2025'", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    [Fact]
    public async Task A_submission_is_stored_whole_once_and_a_replay_changes_nothing()
    {
        await CreateStaffWaveAsync("staff-a", "wave-a");
        var submission = Submission("sub-a-1",
            new { respondentId = "r01", code = "RW14VM", organisation = "Adult social care", teams = new[] { "east" }, answers = new Dictionary<string, object?> { ["Q01"] = 4, ["Q02"] = null, ["C1"] = "Joint visits save time." } },
            new { respondentId = "r02", answers = new Dictionary<string, object?> { ["Q01"] = 5, ["Q13"] = 9 } });

        var first = await SurveyStack.ExpectAsync(await Api.PostAsJsonAsync("/api/v1/waves/wave-a/responses", submission), 202);
        var again = await SurveyStack.ExpectAsync(await Api.PostAsJsonAsync("/api/v1/waves/wave-a/responses", submission), 202);

        Assert.Equal(("sub-a-1", 2), (first.GetProperty("submissionId").GetString(), first.GetProperty("responses").GetInt32()));
        Assert.Equal(first.GetRawText(), again.GetRawText());
        var wave = await SurveyStack.ExpectAsync(await Api.GetAsync("/api/v1/waves/wave-a"), 200);
        Assert.Equal(2, wave.GetProperty("responses").GetInt32());
        Assert.Equal(0.05, wave.GetProperty("responseRate").GetDouble(), 12);

        var reused = await Api.PostAsJsonAsync("/api/v1/waves/wave-b-unknown/responses", submission);
        Assert.Equal(404, (int)reused.StatusCode);
    }

    [Fact]
    public async Task A_bad_submission_names_every_bad_row_and_stores_nothing()
    {
        await CreateStaffWaveAsync("staff-b", "wave-b");
        await SurveyStack.ExpectAsync(await Api.PostAsJsonAsync("/api/v1/waves/wave-b/responses",
            Submission("sub-b-1", new { respondentId = "r01", answers = new { Q01 = 3 } })), 202);

        var bad = await SurveyStack.ExpectAsync(await Api.PostAsJsonAsync("/api/v1/waves/wave-b/responses", Submission("sub-b-2",
            new { respondentId = "r02", answers = new { Q01 = 4 } },
            new { respondentId = "r01", answers = new { Q01 = 4 } },
            new { respondentId = "r03", answers = new { Q01 = 7 } },
            new { respondentId = "r04", answers = new { QX = 1 } },
            new { respondentId = "r05", answers = new { C2 = "My NHS number is 943 476 5919" } })), 400);

        var errors = bad.GetProperty("errors").EnumerateArray().Select(e => (e.GetProperty("row").GetInt32(), e.GetProperty("field").GetString())).ToList();
        // The anonymous objects were camel-cased by the client: fields are named as sent.
        Assert.Equal([(2, "respondentId"), (3, "answers.q01"), (4, "answers.qx"), (5, "answers.c2")], errors);
        var wave = await SurveyStack.ExpectAsync(await Api.GetAsync("/api/v1/waves/wave-b"), 200);
        Assert.Equal(1, wave.GetProperty("responses").GetInt32());

        // The same submission id for another wave is a conflict, not a silent replay.
        await CreateStaffWaveAsync("staff-b", "wave-b2");
        Assert.Equal(409, (int)(await Api.PostAsJsonAsync("/api/v1/waves/wave-b2/responses",
            Submission("sub-b-1", new { respondentId = "r01", answers = new { Q01 = 3 } }))).StatusCode);
    }

    [Fact]
    public async Task Csv_exports_are_accepted_and_a_closed_wave_takes_no_more()
    {
        await CreateStaffWaveAsync("staff-c", "wave-c");
        const string csv = "Respondent ID,Code,Organisation,Teams,Q01,Q08,Q13,C1,Start time\n" +
                           "c01,AB12CD,Primary care,east;west,4,5,8,\"Shared huddles, every morning\",2024-11-02 09:00\n" +
                           "c02,,Housing,east,2,,3,,2024-11-02 10:00\n";
        using var content = new StringContent(csv, Encoding.UTF8, "text/csv");
        var accepted = await SurveyStack.ExpectAsync(await Api.PostAsync("/api/v1/waves/wave-c/responses?submissionId=csv-1&source=forms&ignore=Start%20time", content), 202);
        Assert.Equal(2, accepted.GetProperty("responses").GetInt32());

        await SurveyStack.ExpectAsync(await Api.PutAsJsonAsync("/api/v1/waves/wave-c", new { instrumentId = "staff-c", month = "2024-11", invited = 40, status = "closed" }), 200);
        var closed = await SurveyStack.ExpectAsync(await Api.PostAsJsonAsync("/api/v1/waves/wave-c/responses",
            Submission("late", new { respondentId = "c03", answers = new { Q01 = 3 } })), 400);
        Assert.Equal("waveId", closed.GetProperty("errors")[0].GetProperty("field").GetString());

        // Coding a comment that exists, and one that does not.
        var coded = await SurveyStack.ExpectAsync(await Api.PutAsJsonAsync("/api/v1/waves/wave-c/comments/c01/C1/coding",
            new { themes = new[] { "Huddles", "huddles", "Co-location" }, sentiment = "positive" }), 200);
        Assert.Equal(["Huddles", "Co-location"], coded.GetProperty("themes").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(404, (int)(await Api.PutAsJsonAsync("/api/v1/waves/wave-c/comments/c02/C1/coding", new { themes = new[] { "x" }, sentiment = "neutral" })).StatusCode);
        Assert.Equal(400, (int)(await Api.PutAsJsonAsync("/api/v1/waves/wave-c/comments/c01/C1/coding", new { themes = new[] { "x" }, sentiment = "angry" })).StatusCode);
    }

    [Fact]
    public async Task An_answered_instrument_keeps_its_items_and_scales()
    {
        await CreateStaffWaveAsync("staff-d", "wave-d");
        await SurveyStack.ExpectAsync(await Api.PostAsJsonAsync("/api/v1/waves/wave-d/responses",
            Submission("sub-d-1", new { respondentId = "r01", answers = new { Q01 = 3 } })), 202);

        var conflict = await SurveyStack.ExpectAsync(await Api.PutAsJsonAsync("/api/v1/instruments/staff-d", new
        {
            name = "Cut down",
            items = new[] { new { itemId = "Q01", text = "Only one", kind = "scale", scaleMin = 1, scaleMax = 4, positiveThreshold = 3 } },
        }), 409);
        Assert.Contains("Q02", conflict.GetProperty("detail").GetString());
        Assert.Equal(400, (int)(await Api.PutAsJsonAsync("/api/v1/waves/wave-d", new { instrumentId = "nope", month = "2024-13", invited = -1 })).StatusCode);
    }

    [Fact]
    public async Task The_openapi_document_lists_the_endpoints()
    {
        var document = await SurveyStack.ExpectAsync(await Api.GetAsync("/openapi/v1.json"), 200);
        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        foreach (var path in new[] { "/api/v1/instruments/{instrumentId}", "/api/v1/waves/{waveId}", "/api/v1/waves/{waveId}/responses",
                     "/api/v1/instrument-templates", "/api/v1/waves/{waveId}/comments/{respondentId}/{itemId}/coding" })
            Assert.Contains(path, paths);
    }
}

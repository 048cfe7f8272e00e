using System.Net.Http.Json;
using System.Text.Json;
using Icp.TestSupport;

namespace Icp.Surveys.Tests;

/// <summary>A respondent withdraws: the response leaves every analysis, and its free text is in no database any more.</summary>
public sealed class WithdrawalTests(SurveyStack stack) : IClassFixture<SurveyStack>
{
    private HttpClient Api => stack.Surveys;

    private async Task<JsonElement?> ProjectedAsync(string path)
    {
        using var response = await stack.Projections.GetAsync(path);
        return response.IsSuccessStatusCode ? await SurveyStack.JsonAsync(response) : null;
    }

    [Fact]
    public async Task A_withdrawn_response_leaves_every_analysis_and_its_free_text_is_unrecoverable()
    {
        // "Quillwren" marks the comment; full-text and JSON both keep the word whole.
        const string marker = "quillwren";
        var created = await Api.PostAsync("/api/v1/instruments/wd-staff/from-template/int-staff-survey", null);
        Assert.True((int)created.StatusCode is 200 or 201, await created.Content.ReadAsStringAsync());
        await SurveyStack.ExpectAsync(await Api.PutAsJsonAsync("/api/v1/waves/wd", new { instrumentId = "wd-staff", month = "2024-11", invited = 10 }), 201);
        await SurveyStack.ExpectAsync(await Api.PostAsJsonAsync("/api/v1/waves/wd/responses", new
        {
            submissionId = "wd-1",
            responses = new object[]
            {
                new { respondentId = "r1", answers = new Dictionary<string, object?> { ["Q01"] = 5, ["C1"] = "The Quillwren huddle changed everything." } },
                new { respondentId = "r2", answers = new Dictionary<string, object?> { ["Q01"] = 2, ["C1"] = "Not much yet." } },
                new { respondentId = "r3", answers = new Dictionary<string, object?> { ["Q01"] = 3 } },
            },
        }), 202);

        // The projection opens the sealed comments with keys from the surveys service; the surveys store has ciphertext only.
        await TestInfrastructure.EventuallyAsync(async () => (await ProjectedAsync("/api/v1/surveys/waves/wd/comments"))?.ToString()
            .Contains("Quillwren", StringComparison.Ordinal) == true, "the comment opened in the projection");
        Assert.Equal(3, (await ProjectedAsync("/api/v1/surveys/waves/wd"))!.Value.GetProperty("respondents").GetInt32());
        Assert.NotEmpty(await Databases.TablesContainingAsync(stack.ProjectionsDatabase, marker)); // positive control
        Assert.Empty(await Databases.TablesContainingAsync(stack.SurveysDatabase, marker));

        var withdrawn = await SurveyStack.ExpectAsync(await Api.PostAsync("/api/v1/waves/wd/responses/r1/withdraw", null), 200);
        Assert.Equal("withdrawn", withdrawn.GetProperty("status").GetString());
        var again = await SurveyStack.ExpectAsync(await Api.PostAsync("/api/v1/waves/wd/responses/r1/withdraw", null), 200);
        Assert.Equal(withdrawn.GetProperty("withdrawnAt").GetString(), again.GetProperty("withdrawnAt").GetString());
        await SurveyStack.ExpectAsync(await Api.PostAsync("/api/v1/waves/wd/responses/nobody/withdraw", null), 404);
        Assert.Equal(2, (await SurveyStack.ExpectAsync(await Api.GetAsync("/api/v1/waves/wd"), 200)).GetProperty("responses").GetInt32());
        await SurveyStack.ExpectAsync(await Api.PutAsJsonAsync("/api/v1/waves/wd/comments/r1/C1/coding",
            new { themes = new[] { "huddles" }, sentiment = "positive" }), 404);

        await TestInfrastructure.EventuallyAsync(async () =>
            (await ProjectedAsync("/api/v1/surveys/waves/wd"))?.GetProperty("respondents").GetInt32() == 2, "the response out of the analyses");
        var q01 = (await ProjectedAsync("/api/v1/surveys/waves/wd"))!.Value.GetProperty("items").EnumerateArray()
            .Single(i => i.GetProperty("itemId").GetString() == "Q01");
        Assert.Equal(2, q01.GetProperty("n").GetInt32());
        Assert.Empty(await Databases.TablesContainingAsync(stack.ProjectionsDatabase, marker));
        Assert.Empty(await Databases.TablesContainingAsync(stack.SurveysDatabase, marker));

        // A rebuild replays the sealed event, but the key is gone and the withdrawal comes after it: nothing comes back.
        await SurveyStack.ExpectAsync(await stack.Projections.PostAsync("/api/v1/admin/rebuild", null), 202);
        await TestInfrastructure.EventuallyAsync(async () =>
            (await ProjectedAsync("/api/v1/surveys/waves/wd"))?.GetProperty("respondents").GetInt32() == 2
            && (await ProjectedAsync("/api/v1/surveys/waves/wd/comments"))?.ToString().Contains("Not much yet.", StringComparison.Ordinal) == true,
            "the rebuilt analyses");
        Assert.Empty(await Databases.TablesContainingAsync(stack.ProjectionsDatabase, marker));
    }
}

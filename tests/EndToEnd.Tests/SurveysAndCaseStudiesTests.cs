using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Icp.TestSupport;
using Xunit;

namespace Icp.EndToEnd.Tests;

[Collection(PlatformCollection.Name)]
public sealed class SurveysAndCaseStudiesTests(PlatformFixture platform)
{
    private static readonly string Suffix = Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task Two_survey_waves_submitted_through_the_gateway_are_compared_by_the_projection_service()
    {
        var instrument = $"staff-{Suffix}";
        Assert.Equal(HttpStatusCode.Created,
            (await platform.PostAsync($"/api/v1/instruments/{instrument}/from-template/int-staff-survey", new { })).StatusCode);
        foreach (var (wave, month) in new[] { ($"before-{Suffix}", "2024-11"), ($"after-{Suffix}", "2025-11") })
            Assert.True((await platform.PutAsync($"/api/v1/waves/{wave}",
                new { instrumentId = instrument, name = wave, month, invited = 20, unitIds = new[] { "east" } })).IsSuccessStatusCode);

        async Task SubmitAsync(string wave, int[] q01)
        {
            var responses = q01.Select((v, i) => new { respondentId = $"r{i + 1}", organisation = "Community health",
                teams = new[] { "east" }, answers = new Dictionary<string, object?> { ["Q01"] = v } }).ToArray();
            var answer = await platform.PostAsync($"/api/v1/waves/{wave}/responses", new { submissionId = $"{wave}-1", responses });
            Assert.Equal(HttpStatusCode.Accepted, answer.StatusCode);
        }
        await SubmitAsync($"before-{Suffix}", [1, 1, 2, 2, 3, 3]);
        await SubmitAsync($"after-{Suffix}", [4, 4, 5, 5, 3, 3]);

        // W with x = after: each 4 and 5 beats all six before (4 x 6 = 24); each 3 beats four and ties two (2 x 5 = 10): W = 34.
        // Positive (>= 4): 0 of 6 before, 4 of 6 after: +66.7 percentage points.
        JsonElement q01 = default;
        await TestInfrastructure.EventuallyAsync(async () =>
        {
            using var response = await platform.Gateway.GetAsync($"/api/v1/surveys/compare?before=before-{Suffix}&after=after-{Suffix}");
            if (!response.IsSuccessStatusCode) return false;
            var items = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("items");
            q01 = items.EnumerateArray().First(i => i.GetProperty("itemId").GetString() == "Q01");
            return q01.GetProperty("n1").GetInt32() == 6 && q01.GetProperty("n2").GetInt32() == 6;
        }, "the wave comparison");
        Assert.Equal(34, q01.GetProperty("w").GetDouble());
        Assert.Equal(0, q01.GetProperty("positiveShare1").GetDouble(), 12);
        Assert.Equal(4.0 / 6, q01.GetProperty("positiveShare2").GetDouble(), 12);
        Assert.Equal(200.0 / 3, q01.GetProperty("ppChange").GetDouble(), 9);
    }

    [Fact]
    public async Task A_story_is_screened_published_found_in_the_library_and_erased_on_withdrawal()
    {
        var marker = $"kettle{Suffix}";
        var (unit, indicator) = ($"east-ann-{Suffix}", $"reablement-ann-{Suffix}");
        Assert.True((await platform.PutAsync($"/api/v1/units/{unit}", new { name = "East", kind = "neighbourhood", role = "none" })).IsSuccessStatusCode);
        Assert.True((await platform.PutAsync($"/api/v1/indicators/{indicator}",
            new { name = "Successful reablement", domain = "Efficiency", measure = "proportion", improvement = "increase" })).IsSuccessStatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await platform.PostAsync("/api/v1/feeds", new
        {
            source = "chs", submissionId = $"ann-{Suffix}",
            rows = new[] { "2025-08", "2025-09", "2025-10" }.Select(period => new { unitId = unit, indicatorId = indicator, period, numerator = 30, denominator = 40 }),
        })).StatusCode);
        object Story(string biggestDifference) => new
        {
            role = "District nurse", month = "2025-09", unitIds = new[] { unit }, indicatorIds = new[] { indicator },
            biggestDifference, differenceForPerson = "She stayed at home with support from the duty desk.",
            risks = "A fall at night.", howOutcomeChanged = "No admission.", otherwise = "An ambulance call-out.",
            tags = new[] { "duty desk" },
        };

        // 943 476 5919 passes the NHS number modulus-11 check: nothing is stored, the span is named.
        var identifying = await platform.PostAsync("/api/v1/stories", Story("Her NHS number is 943 476 5919."));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, identifying.StatusCode);
        var error = (await identifying.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors")[0];
        Assert.Equal("nhs_number", error.GetProperty("kind").GetString());
        Assert.Equal("biggestDifference", error.GetProperty("field").GetString());
        Assert.Equal(18, error.GetProperty("start").GetInt32());
        Assert.Equal(12, error.GetProperty("length").GetInt32());

        var created = await platform.PostAsync("/api/v1/stories", Story($"The {marker} visit by the joint team changed the plan."));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var storyId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("storyId").GetString();
        Assert.Equal(HttpStatusCode.OK, (await platform.PostAsync($"/api/v1/stories/{storyId}/validate", new { validatedBy = "storyteller" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await platform.PostAsync($"/api/v1/stories/{storyId}/publish", new { })).StatusCode);

        await TestInfrastructure.EventuallyAsync(async () =>
        {
            var found = await platform.GetJsonAsync($"/api/v1/library?q={marker}");
            return found.GetProperty("items").EnumerateArray().Any(i => i.GetProperty("recordId").GetString() == storyId);
        }, "the published story in the library");

        // The published story annotates the chart of the indicator and unit it is linked to, in its month.
        JsonElement chart = default;
        await TestInfrastructure.EventuallyAsync(async () =>
        {
            if (await platform.TryGetJsonAsync($"/api/v1/spc/{indicator}/{unit}") is not { } answer) return false;
            chart = answer;
            return chart.GetProperty("points").GetArrayLength() == 3 && chart.GetProperty("annotations").GetArrayLength() == 1;
        }, "the chart and its annotation");
        var annotation = chart.GetProperty("annotations")[0];
        Assert.Equal("2025-09", annotation.GetProperty("period").GetString());
        Assert.Equal(storyId, annotation.GetProperty("recordId").GetString());
        var svg = await platform.Gateway.GetStringAsync($"/api/v1/spc/{indicator}/{unit}/chart.svg");
        Assert.Contains($"data-record=\"{storyId}\"", svg);

        Assert.Equal(HttpStatusCode.OK, (await platform.PostAsync($"/api/v1/stories/{storyId}/withdraw", new { })).StatusCode);
        var withdrawn = await platform.GetJsonAsync($"/api/v1/stories/{storyId}");
        Assert.Equal("withdrawn", withdrawn.GetProperty("status").GetString());
        Assert.False(withdrawn.TryGetProperty("biggestDifference", out _));
        await TestInfrastructure.EventuallyAsync(async () =>
        {
            var found = await platform.GetJsonAsync($"/api/v1/library?q={marker}");
            return found.GetProperty("items").GetArrayLength() == 0;
        }, "the withdrawn story to leave the library");
        var after = await platform.GetJsonAsync($"/api/v1/spc/{indicator}/{unit}");
        Assert.Equal(0, after.GetProperty("annotations").GetArrayLength());
    }
}

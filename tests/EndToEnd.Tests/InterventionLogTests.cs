using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Icp.TestSupport;
using Xunit;

namespace Icp.EndToEnd.Tests;

[Collection(PlatformCollection.Name)]
public sealed class InterventionLogTests(PlatformFixture platform)
{
    [Fact]
    public async Task Logged_changes_are_drawn_on_the_units_charts_listed_and_exported_and_identifying_data_is_refused()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var (unit, indicator, other) = ($"log-{suffix}", $"waits-{suffix}", $"visits-{suffix}");
        Assert.True((await platform.PutAsync($"/api/v1/units/{unit}", new { name = "Log unit", kind = "neighbourhood" })).IsSuccessStatusCode);
        foreach (var id in new[] { indicator, other })
            Assert.True((await platform.PutAsync($"/api/v1/indicators/{id}",
                new { name = id, domain = "Access", measure = "count", improvement = "decrease" })).IsSuccessStatusCode);
        var rows = Enumerable.Range(0, 12).SelectMany(m => new[] { indicator, other }.Select(i => new
        {
            unitId = unit, indicatorId = i, period = new DateOnly(2025, 1, 1).AddMonths(m).ToString("yyyy-MM"), value = 10 + m % 3,
        })).ToArray();
        Assert.Equal(HttpStatusCode.Accepted,
            (await platform.PostAsync("/api/v1/feeds", new { source = "epr", submissionId = $"log-{suffix}", rows })).StatusCode);

        var duty = new
        {
            unitId = unit, indicatorId = indicator, month = "2025-04", kind = "pdsa", title = "Duty desk started",
            description = "Triage by a duty clinician, cycle 1", recordedBy = "Programme lead", storyIds = new[] { "st-1" },
        };
        using (var created = await platform.Gateway.PutAsJsonAsync($"/api/v1/interventions/duty-{suffix}", duty))
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        using (var again = await platform.Gateway.PutAsJsonAsync($"/api/v1/interventions/duty-{suffix}", duty))
            Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.True((await platform.PutAsync($"/api/v1/interventions/hub-{suffix}",
            new { unitId = unit, month = "2025-09", kind = "change", title = "=Co-located hub" })).IsSuccessStatusCode);

        // Refused, each naming its field, nothing stored.
        using (var identifying = await platform.Gateway.PutAsJsonAsync($"/api/v1/interventions/bad-{suffix}",
                   duty with { description = "Mrs Smith, NHS number 943 476 5919, was the first" }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, identifying.StatusCode);
            Assert.Equal(["description"], await FieldsAsync(identifying));
            Assert.DoesNotContain("943", await identifying.Content.ReadAsStringAsync());
        }
        using (var unknown = await platform.Gateway.PutAsJsonAsync($"/api/v1/interventions/bad-{suffix}", duty with { unitId = "nowhere" }))
            Assert.Equal(["unitId"], await FieldsAsync(unknown));
        using (var missing = await platform.Gateway.GetAsync($"/api/v1/interventions/bad-{suffix}"))
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);

        // On the indicator's chart: its own entry and the unit-wide one; on the other indicator's only the unit-wide one.
        JsonElement chart = default;
        await TestInfrastructure.EventuallyAsync(async () =>
        {
            if (await platform.TryGetJsonAsync($"/api/v1/spc/{indicator}/{unit}") is not { } answer) return false;
            chart = answer;
            return answer.GetProperty("points").GetArrayLength() == 12 && answer.GetProperty("interventions").GetArrayLength() == 2;
        }, "both entries on the chart");
        Assert.Equal(["2025-04", "2025-09"], chart.GetProperty("interventions").EnumerateArray().Select(i => i.GetProperty("month").GetString()));
        var otherChart = await platform.GetJsonAsync($"/api/v1/spc/{other}/{unit}");
        Assert.Equal([$"hub-{suffix}"], otherChart.GetProperty("interventions").EnumerateArray()
            .Select(i => i.GetProperty("interventionId").GetString()));
        var svg = await platform.Gateway.GetStringAsync($"/api/v1/spc/{indicator}/{unit}/chart.svg");
        Assert.Contains($"data-intervention=\"duty-{suffix}\"", svg);

        var log = await platform.GetJsonAsync($"/api/v1/interventions?unitId={unit}");
        Assert.Equal(2, log.GetProperty("total").GetInt32());
        var csv = await platform.Gateway.GetStringAsync($"/api/v1/interventions?unitId={unit}&format=csv");
        var lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("interventionId,unitId,indicatorId,month,kind,title,description,recordedBy,storyIds", lines[0]);
        Assert.Equal($"duty-{suffix},{unit},{indicator},2025-04,pdsa,Duty desk started,\"Triage by a duty clinician, cycle 1\"," +
            "Programme lead,st-1", lines[1]);
        Assert.Equal($"hub-{suffix},{unit},,2025-09,change,'=Co-located hub,,,", lines[2]); // no formula reaches a spreadsheet
    }

    private static async Task<List<string?>> FieldsAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        return problem.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("field").GetString()).ToList();
    }
}

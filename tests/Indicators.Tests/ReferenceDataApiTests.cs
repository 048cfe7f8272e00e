using System.Net;
using System.Net.Http.Json;
using Icp.TestSupport;
using Xunit;

namespace Icp.Indicators.Tests;

public sealed class ReferenceDataApiTests(IndicatorsHost host) : IClassFixture<IndicatorsHost>
{
    private HttpClient Client => host.Client;

    [Fact]
    public async Task Units_are_created_changed_with_dated_attributes_and_each_change_is_a_published_event()
    {
        var created = await Client.PutAsJsonAsync("/api/v1/units/east", new
        {
            name = "East", kind = "neighbourhood", parentId = "camden", role = "intervention", goLive = "2024-10",
            attributes = new[] { new { name = "co-location", value = "shared base", from = "2024-06" } },
        }).ExpectAsync(HttpStatusCode.Created);
        Assert.Equal("2024-10", created.GetProperty("goLive").GetString());

        // A PUT without attributes keeps them; a changed name is a new event.
        var renamed = await Client.PutAsJsonAsync("/api/v1/units/east", new { name = "East INT", kind = "neighbourhood", parentId = "camden", role = "intervention", goLive = "2024-10" })
            .ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("shared base", renamed.GetProperty("attributes")[0].GetProperty("value").GetString());

        var withDutyDesk = await Client.PostAsJsonAsync("/api/v1/units/east/attributes", new { name = "duty-desk", value = "started", from = "2025-01" })
            .ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(["co-location@2024-06", "duty-desk@2025-01"],
            withDutyDesk.GetProperty("attributes").EnumerateArray().Select(a => $"{a.GetProperty("name").GetString()}@{a.GetProperty("from").GetString()}"));

        // The same state again is not a change.
        await Client.PutAsJsonAsync("/api/v1/units/east", new { name = "East INT", kind = "neighbourhood", parentId = "camden", role = "intervention", goLive = "2024-10" })
            .ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(3, await host.ScalarAsync("select count(*) from mt_events where stream_id = 'unit/east'"));

        var fetched = await Client.GetAsync("/api/v1/units/east").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("East INT", fetched.GetProperty("name").GetString());
        var listed = await Client.GetAsync("/api/v1/units").ExpectAsync(HttpStatusCode.OK);
        Assert.Contains(listed.EnumerateArray(), u => u.GetProperty("unitId").GetString() == "east");

        await TestInfrastructure.EventuallyAsync(() => Task.FromResult(host.PublishedUnits.Any(u => u is { UnitId: "east", Attributes.Count: 2 })),
            "the unit's latest state published with both attributes");
    }

    [Fact]
    public async Task A_bad_unit_names_every_bad_field_and_stores_nothing()
    {
        var problem = await Client.PutAsJsonAsync("/api/v1/units/north", new { name = "North", kind = "ward", role = "intervention" })
            .ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Equal([(null, "kind"), (null, "goLive")], problem.Errors());
        await Client.GetAsync("/api/v1/units/north").ExpectAsync(HttpStatusCode.NotFound);
        await Client.PostAsJsonAsync("/api/v1/units/north/attributes", new { name = "co-location", value = "yes", from = "2024-01" })
            .ExpectAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_default_catalogue_loads_once_and_edits_survive_a_reload()
    {
        var first = await Client.PostAsync("/api/v1/indicators/default-catalogue", null).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(18, first.GetProperty("created").GetArrayLength());

        await Client.PutAsJsonAsync("/api/v1/indicators/reablement", new
        {
            name = "Successful reablement", domain = "Efficiency", measure = "proportion", improvement = "increase", target = 0.8, chart = "pprime", unitLabel = "%",
        }).ExpectAsync(HttpStatusCode.OK);

        var second = await Client.PostAsync("/api/v1/indicators/default-catalogue", null).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(0, second.GetProperty("created").GetArrayLength());
        Assert.Equal(18, second.GetProperty("kept").GetArrayLength());

        var reablement = await Client.GetAsync("/api/v1/indicators/reablement").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal((0.8, "pprime"), (reablement.GetProperty("target").GetDouble(), reablement.GetProperty("chart").GetString()));
        var sickness = await Client.GetAsync("/api/v1/indicators/sickness-days").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(("proportion", "decrease", "p"), (sickness.GetProperty("measure").GetString(), sickness.GetProperty("improvement").GetString(), sickness.GetProperty("chart").GetString()));
        var byType = await Client.GetAsync("/api/v1/indicators/incidents-by-type").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(["falls", "medication", "pressure-ulcers", "violence-aggression", "information-governance", "other"],
            byType.GetProperty("categories").EnumerateArray().Select(c => c.GetString()));
        Assert.False(sickness.TryGetProperty("categories", out _));
    }

    [Fact]
    public async Task The_openapi_document_describes_the_endpoints()
    {
        var document = await Client.GetAsync("/openapi/v1.json").ExpectAsync(HttpStatusCode.OK);
        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("/api/v1/feeds", paths);
        Assert.Contains("/api/v1/units/{unitId}", paths);
        Assert.Contains("/api/v1/indicators/{indicatorId}/units/{unitId}/values/{period}/history", paths);
    }
}

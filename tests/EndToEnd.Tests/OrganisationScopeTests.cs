using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Icp.TestSupport;
using Xunit;

namespace Icp.EndToEnd.Tests;

/// <summary>
/// Organisation scoping with real tokens: a client of one system (borough) sees and changes only units under it. A
/// unit of another system answers exactly as a unit that does not exist, so its id does not leak.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class OrganisationScopeTests(PlatformFixture platform)
{
    private readonly string _s = Guid.NewGuid().ToString("N")[..8];

    private string Camden => $"camden-{_s}";
    private string Islington => $"islington-{_s}";
    private string Ours => $"ours-{_s}";
    private string Theirs => $"theirs-{_s}";
    private string Indicator => $"scoped-visits-{_s}";

    private async Task<HttpClient> ClientAsync(string name, string[] scopes, string? source = null) =>
        platform.WithToken(await platform.ClientTokenAsync($"{name}-{_s}", scopes, source, [Camden]));

    private async Task TwoSystemsAsync()
    {
        await platform.PutAsync($"/api/v1/units/{Camden}", new { name = "Camden", kind = "system" });
        await platform.PutAsync($"/api/v1/units/{Islington}", new { name = "Islington", kind = "system" });
        await platform.PutAsync($"/api/v1/units/{Ours}", new { name = "Ours", kind = "neighbourhood", parentId = Camden, role = "intervention", goLive = "2025-01" });
        await platform.PutAsync($"/api/v1/units/{Theirs}", new { name = "Theirs", kind = "neighbourhood", parentId = Islington });
        await platform.PutAsync($"/api/v1/indicators/{Indicator}", new { name = "Visits", domain = "Access", measure = "count", improvement = "increase" });
        foreach (var (unit, source) in new[] { (Ours, $"camden-epr-{_s}"), (Theirs, $"islington-epr-{_s}") })
            await platform.PostAsync("/api/v1/feeds", new
            {
                source, submissionId = $"seed-{unit}",
                rows = Enumerable.Range(0, 12).Select(i => new { unitId = unit, indicatorId = Indicator, period = $"2024-{i + 1:00}", value = 10 + i % 3 }),
            }).ExpectAsync(HttpStatusCode.Accepted);
    }

    [Fact]
    public async Task A_reader_of_one_system_sees_its_units_charts_and_dashboard_and_nothing_of_another()
    {
        await TwoSystemsAsync();
        using var reader = await ClientAsync("camden-reader", ["read:aggregate", "read:sensitive"]);

        var units = (await reader.GetAsync("/api/v1/units").ExpectAsync(HttpStatusCode.OK)).EnumerateArray()
            .Select(u => u.GetProperty("unitId").GetString()).ToList();
        Assert.Contains(Ours, units);
        Assert.Contains(Camden, units);
        Assert.DoesNotContain(Theirs, units);
        Assert.DoesNotContain(Islington, units);

        // Another system's unit answers word for word as a unit that does not exist.
        var theirs = await reader.GetAsync($"/api/v1/units/{Theirs}").ExpectAsync(HttpStatusCode.NotFound);
        var none = await reader.GetAsync($"/api/v1/units/none-{_s}").ExpectAsync(HttpStatusCode.NotFound);
        Assert.Equal(none.GetProperty("detail").GetString(), theirs.GetProperty("detail").GetString());
        await reader.GetAsync($"/api/v1/indicators/{Indicator}/units/{Theirs}/values").ExpectAsync(HttpStatusCode.NotFound);
        await reader.GetAsync($"/api/v1/indicators/{Indicator}/units/{Ours}/values").ExpectAsync(HttpStatusCode.OK);

        await TestInfrastructure.EventuallyAsync(async () =>
            (await reader.GetAsync($"/api/v1/spc/{Indicator}/{Ours}")).StatusCode == HttpStatusCode.OK, "our chart");
        await TestInfrastructure.EventuallyAsync(async () =>
            (await platform.Gateway.GetAsync($"/api/v1/spc/{Indicator}/{Theirs}")).StatusCode == HttpStatusCode.OK, "their chart (as the operator)");
        await reader.GetAsync($"/api/v1/spc/{Indicator}/{Theirs}").ExpectAsync(HttpStatusCode.NotFound);
        await reader.GetAsync($"/api/v1/spc/{Indicator}/{Theirs}/chart.svg").ExpectAsync(HttpStatusCode.NotFound);
        await reader.GetAsync($"/api/v1/comparison/{Indicator}/{Theirs}").ExpectAsync(HttpStatusCode.NotFound);

        var dashboard = await reader.GetAsync("/api/v1/dashboard").ExpectAsync(HttpStatusCode.OK);
        var onDashboard = dashboard.GetProperty("units").EnumerateArray().Select(u => u.GetProperty("unitId").GetString()).ToList();
        Assert.Contains(Ours, onDashboard);
        Assert.DoesNotContain(Theirs, onDashboard);
        Assert.DoesNotContain(onDashboard, u => u != Ours && u != Camden);   // nothing of the other tests' units either

        // The raw event feed carries every system's events.
        await reader.GetAsync("/api/v1/events").ExpectAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_reader_of_one_system_sees_the_submissions_to_its_units_only()
    {
        await TwoSystemsAsync();
        await platform.PostAsync("/api/v1/referrals/bulk", new
        {
            source = $"islington-pas-{_s}", submissionId = $"their-steps-{_s}",
            rows = new[] { new { referralId = $"r-bulk-{_s}", step = "received", date = "2025-03-03", unitId = Theirs, source = "gp",
                destination = "dn" } },
        }).ExpectAsync(HttpStatusCode.Accepted);
        using var reader = await ClientAsync("camden-submissions", ["read:aggregate"]);

        await reader.GetAsync($"/api/v1/feeds/seed-{Ours}").ExpectAsync(HttpStatusCode.OK);
        // Another system's submission answers as one never made; the operator sees both.
        var theirs = await reader.GetAsync($"/api/v1/feeds/seed-{Theirs}").ExpectAsync(HttpStatusCode.NotFound);
        var none = await reader.GetAsync($"/api/v1/feeds/none-{_s}").ExpectAsync(HttpStatusCode.NotFound);
        Assert.Equal(none.GetProperty("detail").GetString(), theirs.GetProperty("detail").GetString());
        await platform.Gateway.GetAsync($"/api/v1/feeds/seed-{Theirs}").ExpectAsync(HttpStatusCode.OK);
        var listed = (await reader.GetAsync("/api/v1/feeds?limit=1000").ExpectAsync(HttpStatusCode.OK)).EnumerateArray()
            .Select(f => f.GetProperty("submissionId").GetString()).ToList();
        Assert.Contains($"seed-{Ours}", listed);
        Assert.DoesNotContain($"seed-{Theirs}", listed);

        await reader.GetAsync($"/api/v1/referrals/submissions/their-steps-{_s}").ExpectAsync(HttpStatusCode.NotFound);
        await platform.Gateway.GetAsync($"/api/v1/referrals/submissions/their-steps-{_s}").ExpectAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_source_of_one_system_cannot_write_for_another_systems_units_and_nothing_is_stored()
    {
        await TwoSystemsAsync();
        using var feeds = await ClientAsync("camden-epr", ["feeds:write"], source: $"camden-epr-{_s}");
        var refused = await feeds.PostAsJsonAsync("/api/v1/feeds", new
        {
            submissionId = "mixed",
            rows = new object[]
            {
                new { unitId = Ours, indicatorId = Indicator, period = "2025-01", value = 4 },
                new { unitId = Theirs, indicatorId = Indicator, period = "2025-01", value = 4 },
                new { unitId = $"none-{_s}", indicatorId = Indicator, period = "2025-01", value = 4 },
            },
        }).ExpectAsync(HttpStatusCode.BadRequest);
        var errors = refused.GetProperty("errors").EnumerateArray().ToList();
        Assert.Equal([(2, "unitId"), (3, "unitId")], refused.Errors().Select(e => (e.Row!.Value, e.Field)));
        Assert.Equal($"Unknown unit '{Theirs}'.", errors[0].GetProperty("message").GetString());
        await feeds.GetAsync("/api/v1/feeds/mixed").ExpectAsync(HttpStatusCode.NotFound);
        await feeds.PostAsJsonAsync("/api/v1/feeds", new
        {
            submissionId = "ours", rows = new[] { new { unitId = Ours, indicatorId = Indicator, period = "2025-01", value = 4 } },
        }).ExpectAsync(HttpStatusCode.Accepted);

        using var referrals = await ClientAsync("camden-referrals", ["referrals:write", "read:sensitive"], source: $"camden-pas-{_s}");
        object Referral(string id, string unit) => new { referralId = id, date = "2025-03-03", unitId = unit, source = "gp", destination = "dn" };
        var theirs = await referrals.PostAsJsonAsync("/api/v1/referrals", Referral($"r-theirs-{_s}", Theirs)).ExpectAsync(HttpStatusCode.NotFound);
        var none = await referrals.PostAsJsonAsync("/api/v1/referrals", Referral($"r-none-{_s}", $"none-{_s}")).ExpectAsync(HttpStatusCode.NotFound);
        Assert.Equal(none.GetProperty("detail").GetString(), theirs.GetProperty("detail").GetString());
        await platform.Gateway.GetAsync($"/api/v1/referrals/r-theirs-{_s}").ExpectAsync(HttpStatusCode.NotFound);
        // A referral the operator recorded in the other system is not there for this client: not to read, not to step on.
        await platform.PostAsync("/api/v1/referrals", Referral($"r-op-{_s}", Theirs));
        await referrals.GetAsync($"/api/v1/referrals/r-op-{_s}").ExpectAsync(HttpStatusCode.NotFound);
        await referrals.PostAsJsonAsync($"/api/v1/referrals/r-op-{_s}/triage", new { date = "2025-03-04", outcome = "accepted" })
            .ExpectAsync(HttpStatusCode.NotFound);
        var rows = await referrals.GetAsync("/api/v1/referrals").ExpectAsync(HttpStatusCode.OK);
        Assert.DoesNotContain(rows.EnumerateArray(), r => r.GetProperty("unitId").GetString() != Ours);

        using var storyteller = await ClientAsync("camden-storyteller", ["casestudies:write"]);
        var story = (string unit) => new
        {
            role = "District nurse", month = "2025-09", unitIds = new[] { unit }, indicatorIds = new[] { Indicator },
            biggestDifference = "One call reached the whole team.", differenceForPerson = "She stayed at home.", risks = "A fall at night.",
            howOutcomeChanged = "No admission.", otherwise = "A week on a ward.", tags = new[] { "duty desk" },
        };
        var outside = await storyteller.PostAsJsonAsync("/api/v1/stories", story(Theirs)).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Equal("unitIds", outside.Errors().Single().Field);
        await storyteller.PostAsJsonAsync("/api/v1/stories", story(Ours)).ExpectAsync(HttpStatusCode.Created);
    }

    [Fact]
    public async Task An_administrator_of_one_system_manages_its_units_only()
    {
        await TwoSystemsAsync();
        using var admin = await ClientAsync("camden-admin", ["admin"]);
        await admin.PutAsJsonAsync($"/api/v1/units/new-{_s}", new { name = "New", kind = "neighbourhood", parentId = Camden })
            .ExpectAsync(HttpStatusCode.Created);
        var placed = await admin.PutAsJsonAsync($"/api/v1/units/elsewhere-{_s}", new { name = "Elsewhere", kind = "neighbourhood", parentId = Islington })
            .ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Equal("parentId", placed.Errors().Single().Field);
        await admin.PutAsJsonAsync($"/api/v1/units/{Theirs}", new { name = "Taken over", kind = "neighbourhood", parentId = Camden })
            .ExpectAsync(HttpStatusCode.NotFound);
        var unchanged = await platform.GetJsonAsync($"/api/v1/units/{Theirs}");
        Assert.Equal("Theirs", unchanged.GetProperty("name").GetString());
        // A new system is for an administrator of every system.
        await admin.PutAsJsonAsync($"/api/v1/units/hackney-{_s}", new { name = "Hackney", kind = "system" }).ExpectAsync(HttpStatusCode.BadRequest);
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Icp.TestSupport;
using Xunit;

namespace Icp.EndToEnd.Tests;

/// <summary>The audit log of sensitive reads: who read which narrative, referral rows and event-feed pages, without the data.</summary>
[Collection(PlatformCollection.Name)]
public sealed class AuditTests(PlatformFixture platform)
{
    private readonly string _s = Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task Sensitive_reads_are_recorded_by_principal_across_services_and_never_hold_the_data()
    {
        var reader = $"auditee-{_s}";
        using var http = platform.WithToken(await platform.ClientTokenAsync(reader, ["read:sensitive", "read:aggregate"]));

        const string narrative = "Mrs Quinlan's daughter rang the duty desk at midnight.";
        var id = (await platform.PostAsync("/api/v1/stories", new
        {
            role = "District nurse", month = "2025-09", unitIds = new[] { "east" }, indicatorIds = new[] { "reablement" },
            biggestDifference = narrative, differenceForPerson = "She stayed at home.", risks = "A fall at night.",
            howOutcomeChanged = "No admission.", otherwise = "A week on a ward.", tags = new[] { "duty desk" },
        }).ExpectAsync(HttpStatusCode.Created)).GetProperty("storyId").GetString()!;
        await platform.PostAsync($"/api/v1/stories/{id}/validate", new { validatedBy = "storyteller" });
        await platform.PostAsync($"/api/v1/stories/{id}/publish", new { });

        await http.GetAsync($"/api/v1/stories/{id}").ExpectAsync(HttpStatusCode.OK);
        await TestInfrastructure.EventuallyAsync(async () =>
            (await http.GetAsync($"/api/v1/library/{id}")).StatusCode == HttpStatusCode.OK, "the story in the library");
        await http.GetAsync("/api/v1/library?q=Quinlan&kind=story").ExpectAsync(HttpStatusCode.OK);
        await http.GetAsync($"/api/v1/referrals?unitId=east-{_s}").ExpectAsync(HttpStatusCode.OK);
        await http.GetAsync("/api/v1/events?limit=3").ExpectAsync(HttpStatusCode.OK);
        // A refused read is not a read.
        await http.GetAsync($"/api/v1/library/missing-{_s}").ExpectAsync(HttpStatusCode.NotFound);

        var audit = await platform.GetJsonAsync($"/api/v1/admin/audit?principal={reader}");
        Assert.Empty(audit.GetProperty("unavailable").EnumerateArray());
        var entries = audit.GetProperty("entries").EnumerateArray()
            .Select(e => (Service: e.GetProperty("service").GetString(), Kind: e.GetProperty("kind").GetString(),
                Resource: e.GetProperty("resource").GetString()!))
            .ToList();
        Assert.Contains(("casestudies", "narrative", $"/api/v1/stories/{id}"), entries);
        Assert.Contains(entries, e => e is ("projections", "narrative", _) && e.Resource == $"/api/v1/library/{id}");
        Assert.Contains(("projections", "library search", "/api/v1/library?kind=story"), entries);   // the phrase searched for is not kept
        Assert.Contains(("referrals", "referral rows", $"/api/v1/referrals?unitId=east-{_s}"), entries);
        Assert.Contains(("projections", "event feed", "/api/v1/events?limit=3"), entries);
        Assert.DoesNotContain(entries, e => e.Resource.Contains("missing-"));
        var text = audit.GetRawText();
        Assert.DoesNotContain("Quinlan", text);
        Assert.DoesNotContain("midnight", text);

        var byKind = await platform.GetJsonAsync($"/api/v1/admin/audit?principal={reader}&kind=event%20feed");
        Assert.All(byKind.GetProperty("entries").EnumerateArray(), e => Assert.Equal("event feed", e.GetProperty("kind").GetString()));

        // The log is for administrators only.
        await http.GetAsync("/api/v1/admin/audit").ExpectAsync(HttpStatusCode.Forbidden);
        var bad = await platform.Gateway.GetAsync("/api/v1/admin/audit?from=yesterday&limit=0").ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["from", "limit"], bad.Errors().Select(e => e.Field).Order());
    }
}

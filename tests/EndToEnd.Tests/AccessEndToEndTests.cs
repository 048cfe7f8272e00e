using System.Net;
using System.Net.Http.Json;
using Icp.TestSupport;
using Xunit;

namespace Icp.EndToEnd.Tests;

/// <summary>
/// Access control through the gateway and on the services' own ports, with real tokens from the platform's identity
/// server (client credentials): what each scope opens, what a source client may submit, and the tokens that are refused.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class AccessEndToEndTests(PlatformFixture platform)
{
    private readonly string _suffix = Guid.NewGuid().ToString("N")[..8];

    private Task<string> TokenAsync(string clientId, string[] scopes, string? source = null) =>
        platform.ClientTokenAsync(clientId, scopes, source);

    private HttpClient With(string? token, Uri? baseAddress = null) => platform.WithToken(token, baseAddress);

    private object Feed(string source, string submissionId, string unit, string indicator) => new
    {
        source, submissionId, rows = new[] { new { unitId = unit, indicatorId = indicator, period = "2025-01", value = 5 } },
    };

    [Fact]
    public async Task A_source_client_submits_only_as_itself_and_never_revises_another_sources_series()
    {
        var (unit, indicator) = ($"acc-{_suffix}", $"acc-visits-{_suffix}");
        await platform.PutAsync($"/api/v1/units/{unit}", new { name = "Access unit", kind = "neighbourhood" });
        await platform.PutAsync($"/api/v1/indicators/{indicator}", new { name = "Visits", domain = "Access", measure = "count", improvement = "increase" });
        using var epr = With(await TokenAsync($"epr-{_suffix}", ["feeds:write"], source: $"epr-{_suffix}"));
        using var other = With(await TokenAsync($"other-{_suffix}", ["feeds:write"], source: $"other-{_suffix}"));

        // Its own source, named or left out (then taken from the token).
        await epr.PostAsJsonAsync("/api/v1/feeds", Feed($"epr-{_suffix}", "s1", unit, indicator)).ExpectAsync(HttpStatusCode.Accepted);
        var status = await epr.GetAsync("/api/v1/feeds/s1").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(($"epr-{_suffix}", $"epr-{_suffix}"), (status.GetProperty("source").GetString(), status.GetProperty("principal").GetString()));

        // Another source named in the feed: refused.
        await epr.PostAsJsonAsync("/api/v1/feeds", Feed($"other-{_suffix}", "s2", unit, indicator)).ExpectAsync(HttpStatusCode.Forbidden);
        // Another source's series: refused until an administrator grants it, and nothing stored.
        var refused = await other.PostAsJsonAsync("/api/v1/feeds", Feed($"other-{_suffix}", "s1", unit, indicator))
            .ExpectAsync(HttpStatusCode.Forbidden);
        Assert.Contains(refused.Errors(), e => e.Field == "rows");
        await other.GetAsync("/api/v1/feeds/s1").ExpectAsync(HttpStatusCode.NotFound);
        await platform.Gateway.PutAsync($"/api/v1/admin/indicators/series-grants/{indicator}/{unit}/other-{_suffix}", null)
            .ExpectAsync(HttpStatusCode.OK);
        await other.PostAsJsonAsync("/api/v1/feeds", Feed($"other-{_suffix}", "s1", unit, indicator)).ExpectAsync(HttpStatusCode.Accepted);

        // A feed-writing token reads no chart, writes no unit and reads no event feed.
        await epr.GetAsync($"/api/v1/spc/{indicator}/{unit}").ExpectAsync(HttpStatusCode.Forbidden);
        await epr.PutAsJsonAsync($"/api/v1/units/{unit}", new { name = "Renamed", kind = "neighbourhood" }).ExpectAsync(HttpStatusCode.Forbidden);
        await epr.GetAsync("/api/v1/events").ExpectAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Each_scope_opens_only_its_own_endpoints_at_the_gateway_and_at_the_services()
    {
        var reader = await TokenAsync($"reader-{_suffix}", ["read:aggregate"]);
        using var gateway = With(reader);
        await gateway.GetAsync("/api/v1/units").ExpectAsync(HttpStatusCode.OK);
        var forbidden = await gateway.PostAsJsonAsync("/api/v1/feeds", Feed("x", "y", "east", "reablement")).ExpectAsync(HttpStatusCode.Forbidden);
        Assert.Contains("feeds:write", forbidden.GetProperty("detail").GetString());
        await gateway.GetAsync("/api/v1/events").ExpectAsync(HttpStatusCode.Forbidden);
        await gateway.GetAsync("/api/v1/referrals").ExpectAsync(HttpStatusCode.Forbidden);
        await gateway.GetAsync("/api/v1/library").ExpectAsync(HttpStatusCode.Forbidden);
        await gateway.PostAsync("/api/v1/admin/rebuild", null).ExpectAsync(HttpStatusCode.Forbidden);

        // The services check again: the same token on a service's own port, and none at all.
        using var direct = With(reader, platform.ServiceUrls["projections"]);
        await direct.GetAsync("/api/v1/events").ExpectAsync(HttpStatusCode.Forbidden);
        using var bare = With(null, platform.ServiceUrls["projections"]);
        await bare.GetAsync("/api/v1/events").ExpectAsync(HttpStatusCode.Unauthorized);
        using var bareIndicators = With(null, platform.ServiceUrls["indicators"]);
        await bareIndicators.GetAsync("/api/v1/units").ExpectAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Tampered_unsigned_and_absent_tokens_are_refused_and_health_stays_open()
    {
        var token = await TokenAsync($"tamper-{_suffix}", ["read:aggregate"]);
        var parts = token.Split('.');
        // The payload changed (one character), the signature kept: the signature no longer matches.
        var payload = parts[1][..^2] + (parts[1][^2] == 'A' ? 'B' : 'A') + parts[1][^1];
        using (var tampered = With($"{parts[0]}.{payload}.{parts[2]}"))
            await tampered.GetAsync("/api/v1/units").ExpectAsync(HttpStatusCode.Unauthorized);
        using (var unsigned = With($"{parts[0]}.{parts[1]}."))
            await unsigned.GetAsync("/api/v1/units").ExpectAsync(HttpStatusCode.Unauthorized);
        using var anonymous = With(null);
        var problem = await anonymous.GetAsync("/api/v1/dashboard").ExpectAsync(HttpStatusCode.Unauthorized);
        Assert.Equal(401, problem.GetProperty("status").GetInt32());
        using (var forged = With(null))
        {
            forged.DefaultRequestHeaders.Add("X-Icp-Principal", "administrator");
            await forged.GetAsync("/api/v1/units").ExpectAsync(HttpStatusCode.Unauthorized);
        }
        await anonymous.GetAsync("/health/ready").ExpectAsync(HttpStatusCode.OK);
        await anonymous.GetAsync("/openapi/indicators.json").ExpectAsync(HttpStatusCode.OK);
        await anonymous.GetAsync("/.well-known/openid-configuration").ExpectAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_draft_is_its_authors_alone_and_a_stranger_cannot_withdraw_a_published_story()
    {
        using var author = With(await TokenAsync($"author-{_suffix}", ["casestudies:write"]));
        using var stranger = With(await TokenAsync($"stranger-{_suffix}", ["casestudies:write", "read:sensitive"]));
        var story = new
        {
            role = "District nurse", month = "2025-09", unitIds = new[] { "east" }, indicatorIds = new[] { "reablement" },
            biggestDifference = "One call reached the whole team.", differenceForPerson = "She stayed at home.", risks = "A fall at night.",
            howOutcomeChanged = "No admission.", otherwise = "A week on a ward.", tags = new[] { "duty desk" },
        };
        var id = (await author.PostAsJsonAsync("/api/v1/stories", story).ExpectAsync(HttpStatusCode.Created)).GetProperty("storyId").GetString()!;
        await author.GetAsync($"/api/v1/stories/{id}").ExpectAsync(HttpStatusCode.OK);

        // To anyone else the draft does not exist.
        await stranger.GetAsync($"/api/v1/stories/{id}").ExpectAsync(HttpStatusCode.NotFound);
        await stranger.PutAsJsonAsync($"/api/v1/stories/{id}", story).ExpectAsync(HttpStatusCode.NotFound);
        var listed = await stranger.GetAsync("/api/v1/stories").ExpectAsync(HttpStatusCode.OK);
        Assert.DoesNotContain(listed.EnumerateArray(), r => r.GetProperty("recordId").GetString() == id);
        // Validation and publication are for consent managers, not for the author.
        await author.PostAsJsonAsync($"/api/v1/stories/{id}/publish", new { }).ExpectAsync(HttpStatusCode.Forbidden);

        await platform.PostAsync($"/api/v1/stories/{id}/validate", new { validatedBy = "storyteller" });
        await platform.PostAsync($"/api/v1/stories/{id}/publish", new { });
        await stranger.GetAsync($"/api/v1/stories/{id}").ExpectAsync(HttpStatusCode.OK);
        await stranger.PostAsJsonAsync($"/api/v1/stories/{id}/withdraw", new { reason = "storyteller_request" })
            .ExpectAsync(HttpStatusCode.Forbidden);
        var survived = await platform.GetJsonAsync($"/api/v1/stories/{id}");
        Assert.Equal("published", survived.GetProperty("status").GetString());
        await author.PostAsJsonAsync($"/api/v1/stories/{id}/withdraw", new { reason = "storyteller_request" }).ExpectAsync(HttpStatusCode.OK);
    }
}

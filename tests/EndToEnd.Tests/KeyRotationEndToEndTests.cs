using System.Net;
using System.Text.Json;
using Icp.TestSupport;
using Xunit;

namespace Icp.EndToEnd.Tests;

/// <summary>
/// Signing-key rotation and client-secret reset through the whole platform: the identity server's admin endpoints,
/// then tokens presented to the gateway and to a service's own port, each of which validates them against the
/// issuer's published keys.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class KeyRotationEndToEndTests(PlatformFixture platform)
{
    private const string Rotate = "/api/v1/admin/identity/signing-keys/rotate";
    private const string Probe = "/api/v1/units"; // read:aggregate, served by the indicators service
    private readonly string _suffix = Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task A_rotated_key_keeps_its_tokens_valid_everywhere_until_it_retires_and_the_new_key_works_at_once()
    {
        var (clientId, secret) = await CreateClientAsync($"rotation-{_suffix}");
        var before = await TokenAsync(clientId, secret);
        var oldKid = KeyIdOf(before);
        await ExpectEverywhereAsync(before, HttpStatusCode.OK);

        var ring = await platform.Gateway.PostAsync(Rotate, null).ExpectAsync(HttpStatusCode.OK);
        var newKid = ring.GetProperty("current").GetString()!;
        Assert.NotEqual(oldKid, newKid);
        Assert.Contains(ring.GetProperty("keys").EnumerateArray(), k => k.GetProperty("kid").GetString() == oldKid && k.GetProperty("status").GetString() == "retiring");

        // Published beside the new key, and still trusted by the gateway and the services.
        Assert.Contains(oldKid, await PublishedKidsAsync());
        await ExpectEverywhereAsync(before, HttpStatusCode.OK);

        // A token from the new key works at once, at the gateway and at the service, though both had the old key set.
        var after = await TokenAsync(clientId, secret);
        Assert.Equal(newKid, KeyIdOf(after));
        await ExpectEverywhereAsync(after, HttpStatusCode.OK);

        // Retirement: the old key's retention (the longest token lifetime plus five minutes) is made to have run out,
        // as if that time had passed, and the next reload of the ring (here the next rotation) deletes it.
        await using (var db = platform.OpenDatabase("identity"))
        await using (var command = db.CreateCommand("""update icp_signing_keys set "RetireAt" = now() - interval '1 second' where "KeyId" = $1"""))
        {
            command.Parameters.Add(new() { Value = oldKid });
            Assert.Equal(1, await command.ExecuteNonQueryAsync());
        }
        var third = (await platform.Gateway.PostAsync(Rotate, null).ExpectAsync(HttpStatusCode.OK)).GetProperty("current").GetString()!;
        var published = await PublishedKidsAsync();
        Assert.DoesNotContain(oldKid, published);
        Assert.Contains(newKid, published);

        // The gateway and the service learn of the change the moment a token names a key they do not know (the third
        // key); from then on the retired key's token is refused, the second key's token still accepted.
        var latest = await TokenAsync(clientId, secret);
        Assert.Equal(third, KeyIdOf(latest));
        foreach (var http in Both(latest))
            await TestInfrastructure.EventuallyAsync(async () => (await http.GetAsync(Probe)).StatusCode == HttpStatusCode.OK,
                $"a token from the newest key accepted at {http.BaseAddress}");
        var refusals = await ExpectEverywhereAsync(before, HttpStatusCode.Unauthorized);
        Assert.All(refusals, r => Assert.Equal("The access token's signature is not valid.", r.GetProperty("detail").GetString()));
        await ExpectEverywhereAsync(after, HttpStatusCode.OK);
    }

    [Fact]
    public async Task After_a_secret_reset_the_old_secret_gets_no_token_and_the_new_ones_token_is_accepted_everywhere()
    {
        var (clientId, oldSecret) = await CreateClientAsync($"reset-{_suffix}");
        var issuedBefore = await TokenAsync(clientId, oldSecret);

        var reset = await platform.Gateway.PostAsync($"/api/v1/admin/clients/{clientId}/secret", null).ExpectAsync(HttpStatusCode.OK);
        var newSecret = reset.GetProperty("clientSecret").GetString()!;
        Assert.NotEqual(oldSecret, newSecret);

        // The token endpoint refuses the old secret at once, through the gateway and at the identity service.
        foreach (var http in new[] { platform.Anonymous, platform.WithToken(null, platform.ServiceUrls["identity"]) })
        {
            using var refused = await RequestTokenAsync(http, clientId, oldSecret);
            Assert.Contains(refused.StatusCode, new[] { HttpStatusCode.BadRequest, HttpStatusCode.Unauthorized });
            using var error = JsonDocument.Parse(await refused.Content.ReadAsStringAsync());
            Assert.Equal("invalid_client", error.RootElement.GetProperty("error").GetString());
        }

        var issuedAfter = await TokenAsync(clientId, newSecret);
        await ExpectEverywhereAsync(issuedAfter, HttpStatusCode.OK);
        // Access tokens are self-contained: one issued before the reset lives out its (short) lifetime. Disabling the
        // client stops new tokens the same way; neither revokes what was issued (docs/security.md).
        await ExpectEverywhereAsync(issuedBefore, HttpStatusCode.OK);
    }

    private async Task<(string ClientId, string Secret)> CreateClientAsync(string clientId)
    {
        var created = await platform.Gateway.PostAsync("/api/v1/admin/clients", System.Net.Http.Json.JsonContent.Create(
            new { clientId, displayName = clientId, systems = new[] { "*" }, scopes = new[] { "read:aggregate" } })).ExpectAsync(HttpStatusCode.Created);
        return (clientId, created.GetProperty("clientSecret").GetString()!);
    }

    private static Task<HttpResponseMessage> RequestTokenAsync(HttpClient http, string clientId, string secret) =>
        http.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = clientId, ["client_secret"] = secret,
        }));

    private async Task<string> TokenAsync(string clientId, string secret) =>
        (await RequestTokenAsync(platform.Anonymous, clientId, secret).ExpectAsync(HttpStatusCode.OK)).GetProperty("access_token").GetString()!;

    private async Task<List<string>> PublishedKidsAsync()
    {
        var discovery = await platform.Anonymous.GetAsync("/.well-known/openid-configuration").ExpectAsync(HttpStatusCode.OK);
        var jwks = await platform.Anonymous.GetAsync(new Uri(discovery.GetProperty("jwks_uri").GetString()!).PathAndQuery).ExpectAsync(HttpStatusCode.OK);
        return [.. jwks.GetProperty("keys").EnumerateArray().Select(k => k.GetProperty("kid").GetString()!)];
    }

    // The key id in a token's header (read, not validated: the services do that).
    private static string KeyIdOf(string token)
    {
        var header = token.Split('.')[0].Replace('-', '+').Replace('_', '/');
        header = header.PadRight(header.Length + (4 - header.Length % 4) % 4, '=');
        using var json = JsonDocument.Parse(Convert.FromBase64String(header));
        return json.RootElement.GetProperty("kid").GetString()!;
    }

    private HttpClient[] Both(string token) => [platform.WithToken(token), platform.WithToken(token, platform.ServiceUrls["indicators"])];

    /// <summary>The token at the gateway and at the indicators service's own port; the answers' bodies.</summary>
    private async Task<List<JsonElement>> ExpectEverywhereAsync(string token, HttpStatusCode status)
    {
        var answers = new List<JsonElement>();
        foreach (var http in Both(token))
            using (http)
                answers.Add(await http.GetAsync(Probe).ExpectAsync(status));
        return answers;
    }
}

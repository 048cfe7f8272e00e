using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Icp.TestSupport;
using Microsoft.IdentityModel.JsonWebTokens;
using Xunit;

namespace Icp.Identity.Tests;

public sealed class ClientCredentialsTests(IdentityHost host) : IClassFixture<IdentityHost>
{
    [Fact]
    public async Task Discovery_names_the_gateway_as_issuer_and_offers_only_S256_for_PKCE()
    {
        var discovery = await host.CreateClient().GetAsync("/.well-known/openid-configuration").ExpectAsync(HttpStatusCode.OK);

        Assert.Equal("http://127.0.0.1:8080/", discovery.GetProperty("issuer").GetString());
        Assert.Equal("http://127.0.0.1:8080/connect/token", discovery.GetProperty("token_endpoint").GetString());
        Assert.Equal("http://127.0.0.1:8080/connect/authorize", discovery.GetProperty("authorization_endpoint").GetString());
        Assert.Equal("http://127.0.0.1:8080/.well-known/jwks", discovery.GetProperty("jwks_uri").GetString());
        Assert.Equal(["S256"], Strings(discovery, "code_challenge_methods_supported"));
        Assert.Equal(["authorization_code", "client_credentials", "refresh_token"],
            Strings(discovery, "grant_types_supported").Order().ToArray());
        var scopes = Strings(discovery, "scopes_supported");
        foreach (var scope in new[] { "feeds:write", "referrals:write", "surveys:write", "casestudies:write", "read:aggregate",
                     "read:sensitive", "consent:manage", "admin", "openid", "profile", "offline_access" })
            Assert.Contains(scope, scopes);
    }

    [Fact]
    public async Task JWKS_publishes_public_RSA_keys_only()
    {
        var jwks = await host.CreateClient().GetAsync("/.well-known/jwks").ExpectAsync(HttpStatusCode.OK);

        var key = Assert.Single(jwks.GetProperty("keys").EnumerateArray());
        Assert.Equal("RSA", key.GetProperty("kty").GetString());
        Assert.Equal("sig", key.GetProperty("use").GetString());
        Assert.False(string.IsNullOrEmpty(key.GetProperty("kid").GetString()));
        Assert.False(key.TryGetProperty("d", out _), "a private exponent was published");
        Assert.False(key.TryGetProperty("p", out _), "a private prime was published");
    }

    [Fact]
    public async Task A_source_system_gets_a_signed_JWT_for_the_platform_with_its_source_and_systems()
    {
        var secret = await host.CreateClientAsync("epr-happy", ["feeds:write", "read:aggregate"], source: "community-health-epr",
            systems: ["nel", "ncl"]);

        using var response = await host.ClientCredentialsAsync("epr-happy", secret, "feeds:write");
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        var answer = JsonDocument.Parse(body).RootElement;
        Assert.Equal("Bearer", answer.GetProperty("token_type").GetString());
        Assert.InRange(answer.GetProperty("expires_in").GetInt32(), 899, 900); // 15 minutes, counted down to the second
        var token = answer.GetProperty("access_token").GetString()!;

        var validated = await host.ValidateAsync(token);
        Assert.True(validated.IsValid, validated.Exception?.Message);
        var jwt = new JsonWebToken(token);
        Assert.Equal("http://127.0.0.1:8080/", jwt.Issuer);
        Assert.Equal(["icp-api"], jwt.Audiences);
        Assert.Equal("epr-happy", jwt.Subject);
        Assert.Equal("epr-happy", jwt.GetClaim("client_id").Value);
        Assert.Equal("feeds:write", jwt.GetClaim("scope").Value);
        Assert.Equal("community-health-epr", jwt.GetClaim("source").Value);
        Assert.Equal(["ncl", "nel"], jwt.Claims.Where(c => c.Type == "icp_systems").Select(c => c.Value).Order());
        Assert.Equal(TimeSpan.FromMinutes(15), jwt.ValidTo - jwt.IssuedAt);
        var kid = Assert.Single((await host.JwksAsync()).Keys).Kid;
        Assert.Equal(kid, jwt.Kid);
        Assert.Equal("RS256", jwt.Alg);
    }

    [Fact]
    public async Task A_wrong_secret_is_invalid_client()
    {
        await host.CreateClientAsync("epr-wrong", ["feeds:write"], source: "community-health-epr");

        using var response = await host.ClientCredentialsAsync("epr-wrong", "not-the-secret", "feeds:write");

        Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Unauthorized, $"{response.StatusCode}");
        Assert.Equal("invalid_client", await IdentityHost.OAuthErrorAsync(response));
    }

    [Fact]
    public async Task A_scope_the_client_was_not_granted_is_invalid_scope()
    {
        var secret = await host.CreateClientAsync("epr-scope", ["feeds:write"], source: "community-health-epr");

        using var response = await host.ClientCredentialsAsync("epr-scope", secret, "read:sensitive");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_scope", await IdentityHost.OAuthErrorAsync(response));
    }

    [Fact]
    public async Task A_disabled_client_gets_no_token()
    {
        var secret = await host.CreateClientAsync("epr-disabled", ["feeds:write"], source: "community-health-epr");
        await host.AccessTokenAsync("epr-disabled", secret, "feeds:write");

        await host.Admin.DeleteAsync("/api/v1/admin/clients/epr-disabled").ExpectAsync(HttpStatusCode.NoContent);

        using var response = await host.ClientCredentialsAsync("epr-disabled", secret, "feeds:write");
        Assert.Equal("invalid_client", await IdentityHost.OAuthErrorAsync(response));
        var listed = await host.Admin.GetAsync("/api/v1/admin/clients/epr-disabled").ExpectAsync(HttpStatusCode.OK);
        Assert.NotEqual(JsonValueKind.Null, listed.GetProperty("disabledAt").ValueKind);
        // The id stays taken, so no other system can ever submit under it.
        await host.Admin.PostAsJsonAsync("/api/v1/admin/clients",
            new { clientId = "epr-disabled", displayName = "Again", scopes = new[] { "feeds:write" } }).ExpectAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task The_secret_is_shown_once_and_the_database_holds_only_its_hash()
    {
        var secret = await host.CreateClientAsync("epr-hash", ["feeds:write"], source: "community-health-epr");
        Assert.Equal(43, secret.Length); // 32 random bytes, base64url without padding

        Assert.Empty(await Databases.TablesContainingAsync(host.Database, secret));
        using var list = await host.Admin.GetAsync("/api/v1/admin/clients");
        var listed = await list.Content.ReadAsStringAsync();
        Assert.DoesNotContain(secret, listed);
        Assert.DoesNotContain("secret\"", listed, StringComparison.OrdinalIgnoreCase);
        var one = await host.Admin.GetAsync("/api/v1/admin/clients/epr-hash").ExpectAsync(HttpStatusCode.OK);
        Assert.False(one.TryGetProperty("clientSecret", out _));
    }

    [Fact]
    public async Task A_reset_secret_works_at_once_and_the_old_one_stops_working()
    {
        var old = await host.CreateClientAsync("epr-reset", ["feeds:write"], source: "community-health-epr");
        await host.AccessTokenAsync("epr-reset", old, "feeds:write");

        var reset = await host.Admin.PostAsync("/api/v1/admin/clients/epr-reset/secret", null).ExpectAsync(HttpStatusCode.OK);
        var fresh = reset.GetProperty("clientSecret").GetString()!;

        Assert.NotEqual(old, fresh);
        using var withOld = await host.ClientCredentialsAsync("epr-reset", old, "feeds:write");
        Assert.Equal("invalid_client", await IdentityHost.OAuthErrorAsync(withOld));
        var token = new JsonWebToken(await host.AccessTokenAsync("epr-reset", fresh, "feeds:write"));
        Assert.Equal("epr-reset", token.Subject);
        Assert.Empty(await Databases.TablesContainingAsync(host.Database, fresh));
    }

    private static string[] Strings(JsonElement element, string property) =>
        [.. element.GetProperty(property).EnumerateArray().Select(e => e.GetString()!)];
}

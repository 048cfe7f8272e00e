using System.Security.Cryptography;
using Icp.Hosting.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Tokens;

namespace Icp.Hosting.Tests;

/// <summary>How the gateway and the services keep the issuer's keys: read again when a token names an unknown key.</summary>
public sealed class IssuerConfigurationTests
{
    private const string Discovery = "http://issuer.test/.well-known/openid-configuration";

    /// <summary>A fake issuer: its discovery document and whichever keys it publishes now; counts the fetches.</summary>
    private sealed class Issuer : IDocumentRetriever
    {
        public string[] Kids { get; set; } = ["k1"];
        public bool Down { get; set; }
        public int Fetches { get; private set; }

        public Task<string> GetDocumentAsync(string address, CancellationToken cancel)
        {
            if (Down) throw new IOException("The issuer is unreachable.");
            if (address == Discovery)
            {
                Fetches++;
                return Task.FromResult("""{"issuer":"http://issuer.test/","jwks_uri":"http://issuer.test/jwks"}""");
            }
            var keys = Kids.Select(kid =>
            {
                using var rsa = RSA.Create(2048);
                var p = rsa.ExportParameters(false);
                return $$"""{"kty":"RSA","use":"sig","kid":"{{kid}}","n":"{{Base64UrlEncoder.Encode(p.Modulus)}}","e":"{{Base64UrlEncoder.Encode(p.Exponent)}}"}""";
            });
            return Task.FromResult($$"""{"keys":[{{string.Join(',', keys)}}]}""");
        }
    }

    private sealed class Clock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);
        public override DateTimeOffset GetUtcNow() => Now;
    }

    private static async Task<string[]> KidsAsync(IssuerConfiguration configuration) =>
        [.. (await configuration.GetConfigurationAsync(CancellationToken.None)).SigningKeys.Select(k => k.KeyId).Order()];

    [Fact]
    public async Task The_keys_are_kept_until_a_token_names_an_unknown_one_then_read_again_at_once()
    {
        var (issuer, clock) = (new Issuer(), new Clock());
        var configuration = new IssuerConfiguration(Discovery, issuer, clock);
        Assert.Equal(["k1"], await KidsAsync(configuration));
        issuer.Kids = ["k1", "k2"];
        clock.Now += TimeSpan.FromMinutes(30);
        Assert.Equal(["k1"], await KidsAsync(configuration));
        Assert.Equal(1, issuer.Fetches);

        configuration.RequestRefresh(); // what validation does on an unknown kid, before it asks again
        Assert.Equal(["k1", "k2"], await KidsAsync(configuration));
        Assert.Equal(2, issuer.Fetches);

        // Retired at the issuer: gone from the next copy, and no earlier copy is consulted.
        issuer.Kids = ["k2"];
        clock.Now += TimeSpan.FromSeconds(2);
        configuration.RequestRefresh();
        Assert.Equal(["k2"], await KidsAsync(configuration));
        Assert.False(configuration.UseLastKnownGoodConfiguration);
    }

    [Fact]
    public async Task Refreshes_on_request_come_at_most_once_a_second_and_hourly_without()
    {
        var (issuer, clock) = (new Issuer(), new Clock());
        var configuration = new IssuerConfiguration(Discovery, issuer, clock);
        await KidsAsync(configuration);
        clock.Now += TimeSpan.FromMilliseconds(200);
        configuration.RequestRefresh();
        await KidsAsync(configuration);
        Assert.Equal(1, issuer.Fetches);
        clock.Now += TimeSpan.FromSeconds(1);
        await KidsAsync(configuration);
        Assert.Equal(2, issuer.Fetches);

        clock.Now += TimeSpan.FromMinutes(61);
        await KidsAsync(configuration);
        Assert.Equal(3, issuer.Fetches);
    }

    [Fact]
    public async Task An_unreachable_issuer_leaves_the_keys_in_force()
    {
        var (issuer, clock) = (new Issuer(), new Clock());
        var configuration = new IssuerConfiguration(Discovery, issuer, clock);
        Assert.Equal(["k1"], await KidsAsync(configuration));
        issuer.Down = true;
        clock.Now += TimeSpan.FromSeconds(5);
        configuration.RequestRefresh();
        Assert.Equal(["k1"], await KidsAsync(configuration));

        // With no copy yet, the failure is the caller's to see (the token is then refused).
        await Assert.ThrowsAnyAsync<Exception>(() => new IssuerConfiguration(Discovery, issuer, clock).GetConfigurationAsync(CancellationToken.None));
    }
}

/// <summary>What the OpenAPI documents say opens an operation, from its authorization metadata.</summary>
public sealed class OperationAccessTests
{
    private static AuthorizationPolicy Policy(params string[] anyOf) =>
        new AuthorizationPolicyBuilder().RequireAuthenticatedUser().AddRequirements(new ScopeRequirement(anyOf)).Build();

    private static string[][] Alternatives(params object[] metadata) =>
        [.. OperationAccess.ScopeAlternatives(metadata).Select(a => a.ToArray())];

    [Fact]
    public void Nested_scope_requirements_reduce_to_the_minimal_sets_that_satisfy_them_all()
    {
        Assert.Equal([["admin"], ["surveys:write"]], Alternatives(Policy("surveys:write", "admin")));
        // A group's (a or b or c), then the endpoint's (a): a alone.
        Assert.Equal([["casestudies:write"]], Alternatives(
            Policy("casestudies:write", "read:sensitive", "consent:manage"), Policy("casestudies:write")));
        Assert.Equal([["a", "c"], ["a", "d"], ["b", "c"], ["b", "d"]], Alternatives(Policy("a", "b"), Policy("c", "d")));
        // A requirement carried as metadata itself (the identity service's admin filter) counts the same.
        Assert.Equal([["admin"]], Alternatives(new ScopeRequirement(["admin"])));
        // Only the fallback policy: any credential.
        Assert.Equal([[]], Alternatives());
    }

    [Fact]
    public void Allow_anonymous_wins_over_any_policy()
    {
        Assert.True(OperationAccess.IsAnonymous([Policy("admin"), new AllowAnonymousAttribute()]));
        Assert.False(OperationAccess.IsAnonymous([Policy("admin")]));
    }
}

using System.Net;
using System.Net.Http.Headers;
using Icp.Hosting;
using Icp.Hosting.Security;
using Icp.TestSupport;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Icp.Identity.Tests;

/// <summary>
/// A resource server wired exactly as every service is (<see cref="AccessControl.AddIcpAccessControl"/>), fed real
/// tokens from real identity servers: one token of each kind a service must refuse (expired, for another audience,
/// from another issuer signing with the same key), each a 401 problem that says which check failed.
/// </summary>
public sealed class ResourceServerTests(IdentityHost identity) : IClassFixture<IdentityHost>
{
    private async Task<WebApplication> ResourceServerAsync(string audience = "icp-api")
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Configuration["Auth:Authority"] = IdentityHost.Issuer;
        builder.Configuration["Auth:Audience"] = audience;
        builder.Configuration["Auth:ClockSkew"] = "00:00:00";
        builder.AddIcpAccessControl();
        // Discovery and JWKS are fetched from the in-process identity server (set before JwtBearer's post-configuration
        // builds its configuration manager from it).
        builder.Services.Configure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme,
            o => o.BackchannelHttpHandler = identity.Server.CreateHandler());
        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGet("/probe", (HttpContext http) => Results.Ok(new { principal = http.Caller().Principal })).RequireScope(Scopes.ReadAggregate);
        await app.StartAsync();
        return app;
    }

    private static async Task<(HttpStatusCode Status, string? Detail)> ProbeAsync(WebApplication app, string token)
    {
        using var http = app.GetTestClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.GetAsync("/probe");
        var body = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        return (response.StatusCode, body.TryGetProperty("detail", out var detail) ? detail.GetString() : null);
    }

    [Fact]
    public async Task A_valid_token_passes_and_names_its_client()
    {
        var id = TestInfrastructure.NewName("rs-ok");
        var token = await identity.AccessTokenAsync(id, await identity.CreateClientAsync(id, ["read:aggregate"]));
        await using var app = await ResourceServerAsync();
        Assert.Equal((HttpStatusCode.OK, null), await ProbeAsync(app, token));
    }

    [Fact]
    public async Task A_token_for_another_audience_is_refused()
    {
        var id = TestInfrastructure.NewName("rs-aud");
        var token = await identity.AccessTokenAsync(id, await identity.CreateClientAsync(id, ["read:aggregate"]));
        await using var app = await ResourceServerAsync(audience: "another-api");
        Assert.Equal((HttpStatusCode.Unauthorized, "The access token is not addressed to this platform (audience)."), await ProbeAsync(app, token));
    }

    [Fact]
    public async Task An_expired_token_is_refused()
    {
        var id = TestInfrastructure.NewName("rs-exp");
        var secret = await identity.CreateClientAsync(id, ["read:aggregate"]);
        // The same server (database, keys) issuing one-second tokens.
        await using var shortLived = identity.WithWebHostBuilder(b => b.UseSetting("Identity:AccessTokenLifetime", "00:00:01"));
        var token = await IdentityHost.AccessTokenAsync(shortLived, id, secret);
        await Task.Delay(TimeSpan.FromSeconds(2.5));
        await using var app = await ResourceServerAsync();
        Assert.Equal((HttpStatusCode.Unauthorized, "The access token has expired."), await ProbeAsync(app, token));
    }

    [Fact]
    public async Task A_token_from_another_issuer_is_refused_even_when_signed_with_a_trusted_key()
    {
        var id = TestInfrastructure.NewName("rs-iss");
        var secret = await identity.CreateClientAsync(id, ["read:aggregate"]);
        // Another server on the same database (so the same signing keys) that calls itself something else.
        await using var impostor = identity.WithWebHostBuilder(b => b.UseSetting("Identity:Issuer", "http://127.0.0.1:9999/"));
        var token = await IdentityHost.AccessTokenAsync(impostor, id, secret);
        await using var app = await ResourceServerAsync();
        Assert.Equal((HttpStatusCode.Unauthorized, "The access token was not issued by the platform's identity server."),
            await ProbeAsync(app, token));
    }
}

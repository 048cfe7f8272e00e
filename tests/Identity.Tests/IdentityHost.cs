using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Icp.Identity;
using Icp.TestSupport;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Xunit;

namespace Icp.Identity.Tests;

/// <summary>Real time moved on by <see cref="Offset"/>: only the key store reads it (OpenIddict keeps the real clock).</summary>
public sealed class ShiftedClock : TimeProvider
{
    public TimeSpan Offset { get; set; }
    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Offset;
}

/// <summary>The identity service in process on a database of its own (created by the service, dropped afterwards).</summary>
public sealed class IdentityHost : WebApplicationFactory<IdentityApiMarker>, IAsyncLifetime
{
    public const string AdminKey = "test-admin-key-0123456789";
    public const string Issuer = "http://127.0.0.1:8080/";

    public string Database { get; } = TestInfrastructure.NewName("icp_identity_test");
    public ShiftedClock Clock { get; } = new();

    /// <summary>A client that sends the admin key.</summary>
    public HttpClient Admin { get; private set; } = null!;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Postgres:Database", Database);
        builder.UseSetting("Postgres:Password", TestInfrastructure.PostgresPassword);
        builder.UseSetting("Identity:KeyEncryptionSecret", "test-key-encryption-secret-0123456789");
        builder.UseSetting("Identity:Issuer", Issuer);
        builder.UseSetting("ICP_ADMIN_API_KEY", AdminKey);
        builder.ConfigureLogging(l => l.SetMinimumLevel(LogLevel.Warning));
        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock));
    }

    public Task InitializeAsync()
    {
        Admin = CreateClient();
        Admin.DefaultRequestHeaders.Add("X-Api-Key", AdminKey);
        return Task.CompletedTask;
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        Admin?.Dispose();
        await DisposeAsync();
        await TestInfrastructure.DropDatabaseAsync(Database);
    }

    /// <summary>Registers a confidential client and returns the secret the answer showed.</summary>
    public async Task<string> CreateClientAsync(string clientId, string[] scopes, string? source = null, string[]? systems = null)
    {
        var created = await Admin.PostAsJsonAsync("/api/v1/admin/clients",
            new { clientId, displayName = $"Client {clientId}", source, systems = systems ?? ["nel"], scopes })
            .ExpectAsync(HttpStatusCode.Created);
        return created.GetProperty("clientSecret").GetString()!;
    }

    public async Task CreatePersonAsync(string username, string password, string[] roles, string[] systems) =>
        await Admin.PostAsJsonAsync("/api/v1/admin/users", new { username, password, roles, systems })
            .ExpectAsync(HttpStatusCode.Created);

    public Task<HttpResponseMessage> ClientCredentialsAsync(string clientId, string secret, string? scope = null) =>
        ClientCredentialsAsync(this, clientId, secret, scope);

    /// <summary>A client-credentials request to <paramref name="server"/> (this host, or one derived from it).</summary>
    public static Task<HttpResponseMessage> ClientCredentialsAsync(WebApplicationFactory<IdentityApiMarker> server, string clientId,
        string secret, string? scope = null)
    {
        var form = new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["client_id"] = clientId, ["client_secret"] = secret };
        if (scope is not null) form["scope"] = scope;
        return server.CreateClient().PostAsync("/connect/token", new FormUrlEncodedContent(form));
    }

    public Task<string> AccessTokenAsync(string clientId, string secret, string? scope = null) => AccessTokenAsync(this, clientId, secret, scope);

    public static async Task<string> AccessTokenAsync(WebApplicationFactory<IdentityApiMarker> server, string clientId, string secret,
        string? scope = null) =>
        (await ClientCredentialsAsync(server, clientId, secret, scope).ExpectAsync(HttpStatusCode.OK)).GetProperty("access_token").GetString()!;

    public async Task<JsonWebKeySet> JwksAsync() =>
        new(await (await CreateClient().GetAsync("/.well-known/jwks")).Content.ReadAsStringAsync());

    /// <summary>Validates a token as a resource server would (JwtBearer's handler): signature by a key in JWKS now,
    /// issuer, audience, lifetime.</summary>
    public async Task<TokenValidationResult> ValidateAsync(string token) =>
        await new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = Issuer,
            ValidAudience = "icp-api",
            IssuerSigningKeys = (await JwksAsync()).GetSigningKeys(),
            ValidateLifetime = true,
        });

    public static async Task<string> OAuthErrorAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString()!;
}

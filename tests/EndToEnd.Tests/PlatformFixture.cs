using System.Net.Http.Json;
using System.Text.Json;
using Icp.TestSupport;
using Npgsql;
using Xunit;

namespace Icp.EndToEnd.Tests;

/// <summary>The whole platform as real processes (<see cref="PlatformProcesses"/>). Tests talk to the gateway only.</summary>
public sealed class PlatformFixture : IAsyncLifetime
{
    private PlatformProcesses _platform = null!;

    public Dictionary<string, string> Databases => _platform.Databases;
    /// <summary>Each service's own address (the gateway's clusters are named after the services).</summary>
    public Dictionary<string, Uri> ServiceUrls => _platform.ServiceUrls;
    /// <summary>The gateway as the operator (admin key on every request).</summary>
    public HttpClient Gateway { get; private set; } = null!;
    /// <summary>The gateway as a stranger: no credential at all.</summary>
    public HttpClient Anonymous { get; private set; } = null!;
    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web);

    public async Task InitializeAsync()
    {
        _platform = await PlatformProcesses.StartAsync("e2e");
        Gateway = Operator.Client(_platform.Gateway.Url, TimeSpan.FromSeconds(60));
        Anonymous = new HttpClient { BaseAddress = _platform.Gateway.Url, Timeout = TimeSpan.FromSeconds(60) };
    }

    public async Task DisposeAsync()
    {
        Gateway?.Dispose();
        Anonymous?.Dispose();
        await _platform.DisposeAsync();
    }

    public string Diagnostics => _platform.Diagnostics;

    public NpgsqlDataSource OpenDatabase(string service) => _platform.OpenDatabase(service);

    /// <summary>Registers a client with the identity server (as the operator) and returns a real access token for it
    /// (for every system unless <paramref name="systems"/> names some).</summary>
    public async Task<string> ClientTokenAsync(string clientId, string[] scopes, string? source = null, string[]? systems = null)
    {
        var created = await Gateway.PostAsJsonAsync("/api/v1/admin/clients",
            new { clientId, displayName = clientId, source, systems = systems ?? ["*"], scopes }).ExpectAsync(System.Net.HttpStatusCode.Created);
        var token = await Anonymous.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = clientId,
            ["client_secret"] = created.GetProperty("clientSecret").GetString()!,
        })).ExpectAsync(System.Net.HttpStatusCode.OK);
        return token.GetProperty("access_token").GetString()!;
    }

    /// <summary>A client that sends <paramref name="token"/> (none: a stranger), to the gateway or to a service's own address.</summary>
    public HttpClient WithToken(string? token, Uri? baseAddress = null)
    {
        var http = new HttpClient { BaseAddress = baseAddress ?? Gateway.BaseAddress };
        if (token is not null) http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    public async Task<HttpResponseMessage> PutAsync(string path, object body) => await Gateway.PutAsJsonAsync(path, body, Json);
    public async Task<HttpResponseMessage> PostAsync(string path, object body) => await Gateway.PostAsJsonAsync(path, body, Json);

    /// <summary>The JSON answer, or null while the read model does not have it yet (any non-success status).</summary>
    public async Task<JsonElement?> TryGetJsonAsync(string path)
    {
        using var response = await Gateway.GetAsync(path);
        return response.IsSuccessStatusCode ? JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone() : null;
    }

    public async Task<JsonElement> GetJsonAsync(string path)
    {
        using var response = await Gateway.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new HttpRequestException($"GET {path} answered {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}

[CollectionDefinition(Name)]
public sealed class PlatformCollection : ICollectionFixture<PlatformFixture>
{
    public const string Name = "platform";
}

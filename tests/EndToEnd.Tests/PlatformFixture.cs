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
    public HttpClient Gateway { get; private set; } = null!;
    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web);

    public async Task InitializeAsync()
    {
        _platform = await PlatformProcesses.StartAsync("e2e");
        Gateway = new HttpClient { BaseAddress = _platform.Gateway.Url, Timeout = TimeSpan.FromSeconds(60) };
    }

    public async Task DisposeAsync()
    {
        Gateway?.Dispose();
        await _platform.DisposeAsync();
    }

    public string Diagnostics => _platform.Diagnostics;

    public NpgsqlDataSource OpenDatabase(string service) => _platform.OpenDatabase(service);

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

using System.Net.Http.Json;
using System.Text.Json;
using Icp.TestSupport;
using Npgsql;
using Xunit;

namespace Icp.EndToEnd.Tests;

/// <summary>
/// The whole platform as real processes: every service and the gateway, on the real PostgreSQL (a database per
/// service, named for this run) and RabbitMQ (a virtual host for this run). Tests talk to the gateway only.
/// </summary>
public sealed class PlatformFixture : IAsyncLifetime
{
    private static readonly (string Name, string Directory, string Assembly)[] Services =
    [
        ("projections", "services/Projections", "Icp.Projections"), // first, so its queue exists before anything is published
        ("indicators", "services/Indicators", "Icp.Indicators"),
        ("referrals", "services/Referrals", "Icp.Referrals"),
        ("surveys", "services/Surveys", "Icp.Surveys"),
        ("casestudies", "services/CaseStudies", "Icp.CaseStudies"),
    ];

    private readonly List<ServiceProcess> _processes = [];
    private readonly string _runId = Guid.NewGuid().ToString("N")[..10];
    private string _virtualHost = "";

    public Dictionary<string, string> Databases { get; } = [];
    /// <summary>Each service's own address (the gateway's clusters are named after the services).</summary>
    public Dictionary<string, Uri> ServiceUrls { get; } = [];
    public HttpClient Gateway { get; private set; } = null!;
    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web);

    public async Task InitializeAsync()
    {
        _virtualHost = await TestInfrastructure.CreateVirtualHostAsync("e2e");
        var gatewayEnvironment = new Dictionary<string, string>();
        var ports = Services.ToDictionary(s => s.Name, _ => ServiceProcess.FreePort());
        foreach (var (name, directory, assembly) in Services)
        {
            var database = $"icp_e2e_{_runId}_{name}";
            Databases[name] = database;
            var process = ServiceProcess.Start(name, directory, assembly, new Dictionary<string, string>
            {
                ["Postgres__Database"] = database,
                ["RabbitMq__VirtualHost"] = _virtualHost,
                ["CaseStudies__BaseUrl"] = $"http://127.0.0.1:{ports["casestudies"]}/",
            }, ports[name]);
            _processes.Add(process);
            ServiceUrls[name] = process.Url;
            gatewayEnvironment[$"ReverseProxy__Clusters__{name}__Destinations__primary__Address"] = process.Url + "";
        }
        foreach (var process in _processes) await process.WaitUntilReadyAsync();

        var gateway = ServiceProcess.Start("gateway", "gateway/Gateway", "Icp.Gateway", gatewayEnvironment);
        _processes.Add(gateway);
        await gateway.WaitUntilReadyAsync("/health/live");
        Gateway = new HttpClient { BaseAddress = gateway.Url, Timeout = TimeSpan.FromSeconds(60) };
    }

    public async Task DisposeAsync()
    {
        Gateway?.Dispose();
        foreach (var process in _processes) await process.DisposeAsync();
        foreach (var database in Databases.Values) await TestInfrastructure.DropDatabaseAsync(database);
        await TestInfrastructure.DeleteVirtualHostAsync(_virtualHost);
    }

    public string Diagnostics => string.Join("\n\n", _processes.Select(p => $"--- {p.Name} ---\n{p.RecentOutput}"));

    public NpgsqlDataSource OpenDatabase(string service) =>
        NpgsqlDataSource.Create(TestInfrastructure.ConnectionString(Databases[service]));

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

using Npgsql;

namespace Icp.TestSupport;

/// <summary>
/// The whole platform as real processes: every service and the gateway, on the real PostgreSQL (a database per
/// service, named for the run) and RabbitMQ (a virtual host for the run). Each process can be killed and restarted.
/// </summary>
public sealed class PlatformProcesses : IAsyncDisposable
{
    public static readonly (string Name, string Directory, string Assembly)[] Services =
    [
        ("projections", "services/Projections", "Icp.Projections"), // first, so its queue exists before anything is published
        ("indicators", "services/Indicators", "Icp.Indicators"),
        ("referrals", "services/Referrals", "Icp.Referrals"),
        ("surveys", "services/Surveys", "Icp.Surveys"),
        ("casestudies", "services/CaseStudies", "Icp.CaseStudies"),
        ("identity", "services/Identity", "Icp.Identity"),
    ];

    private readonly Dictionary<string, ServiceProcess> _processes = [];
    private string _virtualHost = "";

    public Dictionary<string, string> Databases { get; } = [];
    /// <summary>Each service's own address (the gateway's clusters are named after the services).</summary>
    public Dictionary<string, Uri> ServiceUrls { get; } = [];
    public ServiceProcess Gateway => _processes["gateway"];

    public ServiceProcess this[string name] => _processes[name];

    public static async Task<PlatformProcesses> StartAsync(string prefix)
    {
        for (var attempt = 1; ; attempt++)
        {
            var platform = new PlatformProcesses();
            try
            {
                await platform.StartAllAsync(prefix);
                return platform;
            }
            catch (Exception e) when (attempt < 3 && e.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
            {
                // A port chosen for a process was taken before it bound it: start again on other ports.
                await platform.DisposeAsync();
            }
            catch
            {
                await platform.DisposeAsync();
                throw;
            }
        }
    }

    private async Task StartAllAsync(string prefix)
    {
        var runId = Guid.NewGuid().ToString("N")[..10];
        _virtualHost = await TestInfrastructure.CreateVirtualHostAsync(prefix);
        var gatewayEnvironment = new Dictionary<string, string>();
        var ports = Services.ToDictionary(s => s.Name, _ => ServiceProcess.FreePort());
        // Tokens name the gateway as their issuer; every process validates them against it.
        var gatewayPort = ServiceProcess.FreePort();
        var issuer = $"http://127.0.0.1:{gatewayPort}/";
        gatewayEnvironment["Auth__Authority"] = issuer;
        foreach (var (name, directory, assembly) in Services)
        {
            var database = $"icp_{prefix}_{runId}_{name}";
            Databases[name] = database;
            var process = ServiceProcess.Start(name, directory, assembly, new Dictionary<string, string>
            {
                ["Postgres__Database"] = database,
                ["RabbitMq__VirtualHost"] = _virtualHost,
                ["CaseStudies__BaseUrl"] = $"http://127.0.0.1:{ports["casestudies"]}/",
                ["Surveys__BaseUrl"] = $"http://127.0.0.1:{ports["surveys"]}/",
                ["Indicators__BaseUrl"] = $"http://127.0.0.1:{ports["indicators"]}/",
                ["Referrals__BaseUrl"] = $"http://127.0.0.1:{ports["referrals"]}/",
                // The run's own key-encryption secret: its identity database and keys live only as long as the run.
                ["Identity__KeyEncryptionSecret"] = $"test-run-{runId}-{Guid.NewGuid():N}",
                ["Identity__Issuer"] = issuer,
                ["Auth__Authority"] = issuer,
            }, ports[name]);
            _processes[name] = process;
            ServiceUrls[name] = process.Url;
            gatewayEnvironment[$"ReverseProxy__Clusters__{name}__Destinations__primary__Address"] = process.Url + "";
        }
        foreach (var process in _processes.Values) await process.WaitUntilReadyAsync();
        var gateway = ServiceProcess.Start("gateway", "gateway/Gateway", "Icp.Gateway", gatewayEnvironment, gatewayPort);
        _processes["gateway"] = gateway;
        await gateway.WaitUntilReadyAsync("/health/live");
    }

    public string Diagnostics => string.Join("\n\n", _processes.Values.Select(p => $"--- {p.Name} ---\n{p.RecentOutput}"));

    public NpgsqlDataSource OpenDatabase(string service) =>
        NpgsqlDataSource.Create(TestInfrastructure.ConnectionString(Databases[service]));

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _processes.Values) await process.DisposeAsync();
        foreach (var database in Databases.Values) await TestInfrastructure.DropDatabaseAsync(database);
        if (_virtualHost.Length > 0) await TestInfrastructure.DeleteVirtualHostAsync(_virtualHost);
    }
}

using MassTransit;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Xunit;

namespace Icp.TestSupport;

/// <summary>A clock stopped at one instant, so "future month" and "overdue" have fixed answers.</summary>
public sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}

/// <summary>
/// One service in process (<typeparamref name="TMarker"/> is a type of its assembly) on its own PostgreSQL database
/// and RabbitMQ virtual host, its clock stopped at <see cref="Now"/>, with a subscriber bound to the events it
/// publishes as an integrator's queue would be.
/// </summary>
public abstract class ServiceHost<TMarker>(string prefix) : IAsyncLifetime where TMarker : class
{
    public static readonly DateTimeOffset Now = new(2025, 6, 20, 9, 0, 0, TimeSpan.Zero);

    private IBusControl? _bus;

    public string Database { get; private set; } = "";
    public string VirtualHost { get; private set; } = "";
    public WebApplicationFactory<TMarker> Factory { get; private set; } = null!;
    public HttpClient Client { get; private set; } = null!;
    public NpgsqlDataSource Db { get; private set; } = null!;

    /// <summary>Binds handlers for the published events the tests look at.</summary>
    protected abstract void Subscribe(IReceiveEndpointConfigurator endpoint);

    public async Task InitializeAsync()
    {
        Database = await TestInfrastructure.CreateDatabaseAsync(prefix);
        VirtualHost = await TestInfrastructure.CreateVirtualHostAsync(prefix);
        _bus = Bus.Factory.CreateUsingRabbitMq(cfg =>
        {
            cfg.Host("127.0.0.1", 5672, VirtualHost, h =>
            {
                h.Username(TestInfrastructure.Username);
                h.Password(TestInfrastructure.RabbitPassword);
            });
            cfg.ReceiveEndpoint("integrator-test", Subscribe);
        });
        await _bus.StartAsync();
        Factory = Create();
        Client = Factory.CreateClient();
        Db = NpgsqlDataSource.Create(TestInfrastructure.ConnectionString(Database));
    }

    /// <summary>Another instance of the service on the same database and virtual host, with extra settings.</summary>
    public WebApplicationFactory<TMarker> Create(IReadOnlyDictionary<string, string>? settings = null) =>
        new OperatorFactory<TMarker>().WithWebHostBuilder(builder =>
        {
            builder.UseSetting("Postgres:Database", Database);
            builder.UseSetting("Postgres:Password", TestInfrastructure.PostgresPassword);
            builder.UseSetting("RabbitMq:VirtualHost", VirtualHost);
            builder.UseSetting("RabbitMq:Username", TestInfrastructure.Username);
            builder.UseSetting("RabbitMq:Password", TestInfrastructure.RabbitPassword);
            foreach (var (key, value) in settings ?? new Dictionary<string, string>()) builder.UseSetting(key, value);
            builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(new FixedClock(Now)));
        });

    public async Task<long> ScalarAsync(string sql, params object[] args)
    {
        await using var command = Db.CreateCommand(sql);
        foreach (var arg in args) command.Parameters.Add(new() { Value = arg });
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await Factory.DisposeAsync();
        if (_bus is not null) await _bus.StopAsync();
        await Db.DisposeAsync();
        await TestInfrastructure.DropDatabaseAsync(Database);
        await TestInfrastructure.DeleteVirtualHostAsync(VirtualHost);
    }
}

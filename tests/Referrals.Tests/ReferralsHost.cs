using System.Collections.Concurrent;
using Icp.Contracts.Referrals;
using Icp.TestSupport;
using MassTransit;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Xunit;

namespace Icp.Referrals.Tests;

/// <summary>A clock stopped at one instant, so "future month" and "overdue" have fixed answers.</summary>
public sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}

/// <summary>
/// The referrals service in process on its own PostgreSQL database and RabbitMQ virtual host, with a subscriber
/// bound to the published events as an integrator's queue would be.
/// </summary>
public sealed class ReferralsHost : IAsyncLifetime
{
    public static readonly DateTimeOffset Now = new(2025, 6, 20, 9, 0, 0, TimeSpan.Zero);

    public string Database { get; private set; } = "";
    public string VirtualHost { get; private set; } = "";
    public WebApplicationFactory<ReferralsApiMarker> Factory { get; private set; } = null!;
    public HttpClient Client { get; private set; } = null!;
    public NpgsqlDataSource Db { get; private set; } = null!;
    public ConcurrentQueue<object> Published { get; } = new();
    private IBusControl? _bus;

    public async Task InitializeAsync()
    {
        Database = await TestInfrastructure.CreateDatabaseAsync("ref");
        VirtualHost = await TestInfrastructure.CreateVirtualHostAsync("ref");
        _bus = MassTransit.Bus.Factory.CreateUsingRabbitMq(cfg =>
        {
            cfg.Host("127.0.0.1", 5672, VirtualHost, h =>
            {
                h.Username(TestInfrastructure.Username);
                h.Password(TestInfrastructure.RabbitPassword);
            });
            cfg.ReceiveEndpoint("integrator-test", e =>
            {
                e.Handler<ReferralReceivedV1>(context => { Published.Enqueue(context.Message); return Task.CompletedTask; });
                e.Handler<ReferralTriagedV1>(context => { Published.Enqueue(context.Message); return Task.CompletedTask; });
                e.Handler<ReferralAssessedV1>(context => { Published.Enqueue(context.Message); return Task.CompletedTask; });
                e.Handler<ReferralServiceStartedV1>(context => { Published.Enqueue(context.Message); return Task.CompletedTask; });
                e.Handler<ReferralDischargedV1>(context => { Published.Enqueue(context.Message); return Task.CompletedTask; });
            });
        });
        await _bus.StartAsync();
        Factory = Create();
        Client = Factory.CreateClient();
        Db = NpgsqlDataSource.Create(TestInfrastructure.ConnectionString(Database));
    }

    public WebApplicationFactory<ReferralsApiMarker> Create() => new WebApplicationFactory<ReferralsApiMarker>()
        .WithWebHostBuilder(builder =>
        {
            builder.UseSetting("Postgres:Database", Database);
            builder.UseSetting("Postgres:Password", TestInfrastructure.PostgresPassword);
            builder.UseSetting("RabbitMq:VirtualHost", VirtualHost);
            builder.UseSetting("RabbitMq:Username", TestInfrastructure.Username);
            builder.UseSetting("RabbitMq:Password", TestInfrastructure.RabbitPassword);
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

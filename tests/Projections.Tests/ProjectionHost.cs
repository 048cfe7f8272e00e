using Icp.TestSupport;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Icp.Projections.Tests;

/// <summary>The projection service in process on the real PostgreSQL and RabbitMQ, with a database and virtual host of its own.</summary>
public sealed class ProjectionHost : IAsyncDisposable
{
    private string _database = "", _virtualHost = "";

    public WebApplicationFactory<ProjectionRunner> Factory { get; private set; } = null!;

    public string Database => _database;

    public IServiceProvider Services => Factory.Services;

    public static async Task<ProjectionHost> StartAsync(string prefix, Action<IServiceCollection>? testServices = null)
    {
        var host = new ProjectionHost
        {
            _database = await TestInfrastructure.CreateDatabaseAsync(prefix),
            _virtualHost = await TestInfrastructure.CreateVirtualHostAsync(prefix),
        };
        host.Factory = new OperatorFactory<ProjectionRunner>().WithWebHostBuilder(builder =>
        {
            builder.UseSetting("Postgres:Database", host._database);
            builder.UseSetting("Postgres:Password", TestInfrastructure.PostgresPassword);
            builder.UseSetting("RabbitMq:VirtualHost", host._virtualHost);
            builder.UseSetting("RabbitMq:Username", TestInfrastructure.Username);
            builder.UseSetting("RabbitMq:Password", TestInfrastructure.RabbitPassword);
            builder.ConfigureLogging(l => l.SetMinimumLevel(LogLevel.Critical));
            if (testServices is not null) builder.ConfigureTestServices(testServices);
        });
        using var client = host.Factory.CreateClient();
        await client.WaitUntilReadyAsync("the projection service");
        return host;
    }

    public async ValueTask DisposeAsync()
    {
        await Factory.DisposeAsync();
        await TestInfrastructure.DropDatabaseAsync(_database);
        await TestInfrastructure.DeleteVirtualHostAsync(_virtualHost);
    }
}

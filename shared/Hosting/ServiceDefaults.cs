using System.Text.Json;
using System.Text.Json.Serialization;
using Icp.EventStore;
using Icp.Hosting.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Marten;
using Npgsql;

namespace Icp.Hosting;

public static class ServiceDefaults
{
    public const string ReadyTag = "ready";

    public static readonly JsonSerializerOptions Json = ConfigureJson(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    public static JsonSerializerOptions ConfigureJson(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        return options;
    }

    /// <summary>What every process has, the gateway included: telemetry, problem details, health endpoints, JSON conventions.</summary>
    public static WebApplicationBuilder AddIcpServiceDefaults(this WebApplicationBuilder builder, ServiceInfo service)
    {
        var services = builder.Services;
        services.AddSingleton(service);
        services.Configure<JsonOptions>(o => Intake.JsonIntake.Strict(ConfigureJson(o.SerializerOptions)));
        // Binding failures reach ProblemExceptionHandler, which answers them as validation errors.
        services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddIcpTelemetry(service.Name);
        services.AddProblemDetails();
        services.AddExceptionHandler<ProblemExceptionHandler>();
        services.AddHealthChecks();
        builder.WebHost.ConfigureKestrel(k => k.AddServerHeader = false);
        return builder;
    }

    /// <summary>
    /// A write service's store of record: Marten's event store on the service's own database (created at start-up,
    /// checked by /health/ready), with event metadata taken from each request and the async daemon (HotCold: one
    /// active instance per store) for its subscriptions.
    /// </summary>
    public static WebApplicationBuilder AddIcpEventStore(this WebApplicationBuilder builder)
    {
        AddMartenStore(builder, _ => { });
        builder.Services.AddSingleton(sp => new EventLog(sp.GetRequiredService<IDocumentStore>(),
            sp.GetRequiredService<NpgsqlDataSource>(), Messaging.IntegrationEvents.IsContract));
        return builder;
    }

    /// <summary>
    /// The projection service's store of what it consumed: a Marten event store like the write services', with a unique
    /// index on the event id (the origin's), which is how a redelivered event is stored once.
    /// </summary>
    public static WebApplicationBuilder AddIcpProjectionStore(this WebApplicationBuilder builder) =>
        AddMartenStore(builder, options => options.Events.EnableUniqueIndexOnEventId = true);

    private static WebApplicationBuilder AddMartenStore(WebApplicationBuilder builder, Action<StoreOptions> tune)
    {
        AddServiceDatabase(builder);
        builder.Services.AddSingleton<IStoreSchema, MartenSchema>();
        var wakeup = new AppendWakeup();
        builder.Services.AddSingleton(wakeup);
        builder.Services.AddMarten(_ =>
            {
                var options = MartenSetup.StoreOptions();
                options.Listeners.Add(wakeup);
                options.Projections.Wakeup = wakeup;
                tune(options);
                return options;
            })
            .UseNpgsqlDataSource()
            .UseLightweightSessions()
            .AddAsyncDaemon(JasperFx.Events.Daemon.DaemonMode.HotCold);
        return builder;
    }

    private static void AddServiceDatabase(WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var service = RegisteredServiceInfo(services);
        services.Configure<PostgresOptions>(builder.Configuration.GetSection("Postgres"));
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<PostgresOptions>>().Value;
            return new NpgsqlDataSourceBuilder(options.ConnectionString(service.DefaultDatabase)) { Name = service.Name }.Build();
        });
        services.AddHostedService<StoreInitializer>();
        services.AddHealthChecks().AddCheck<PostgresHealthCheck>("postgres", tags: [ReadyTag]);
        services.AddHttpContextAccessor();
        services.AddSingleton<EventMetadataFactory>();
    }

    internal static ServiceInfo RegisteredServiceInfo(IServiceCollection services) =>
        services.Where(d => d.ServiceType == typeof(ServiceInfo)).Select(d => d.ImplementationInstance).OfType<ServiceInfo>().SingleOrDefault()
        ?? throw new InvalidOperationException("Call AddIcpServiceDefaults first.");

    /// <summary>Response hardening, error handling, access control (where <see cref="Security.AccessControl.AddIcpAccessControl"/>
    /// was called) and the anonymous health endpoints; with <paramref name="screenJsonBodies"/> (every service but the
    /// gateway, which only forwards) each JSON request body of an authorised caller is screened before an endpoint sees it.</summary>
    public static WebApplication MapIcpDefaults(this WebApplication app, bool screenJsonBodies = true)
    {
        app.UseResponseHardening();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        if (Security.AccessControl.IsEnabled(app.Services))
        {
            app.UseAuthentication();
            app.UseAuthorization();
        }
        if (screenJsonBodies) app.UseMiddleware<Intake.JsonBodyScreen>();
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(ReadyTag),
            ResponseWriter = WriteHealthAsync,
        }).AllowAnonymous();
        return app;
    }

    private static Task WriteHealthAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsJsonAsync(new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new
            {
                status = e.Value.Status.ToString(),
                e.Value.Description,
                data = e.Value.Data.Count > 0 ? e.Value.Data : null,
            }),
        });
    }
}

/// <summary>Creates the service's database, its event store's schema and its own tables before anything else starts.</summary>
internal sealed class StoreInitializer(ServiceInfo service, IOptions<PostgresOptions> options, NpgsqlDataSource dataSource,
    IStoreSchema storeSchema, IEnumerable<ISchemaSetup> schemaSetups) : IHostedService
{
    public async Task StartAsync(CancellationToken ct)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                await DatabaseBootstrap.EnsureDatabaseExistsAsync(options.Value.ConnectionString(service.DefaultDatabase), ct);
                await storeSchema.EnsureAsync(ct);
                foreach (var setup in schemaSetups) await setup.EnsureAsync(dataSource, ct);
                return;
            }
            catch (NpgsqlException e) when (e.IsTransient && DateTime.UtcNow < deadline)
            {
                await Task.Delay(1000, ct);
            }
        }
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}

/// <summary>The event store's own tables.</summary>
internal interface IStoreSchema
{
    Task EnsureAsync(CancellationToken ct);
}

internal sealed class MartenSchema(Marten.IDocumentStore store) : IStoreSchema
{
    public Task EnsureAsync(CancellationToken ct) => store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
}

/// <summary>A service's own tables beside the event store (read models, indexes), created idempotently at start-up.</summary>
public interface ISchemaSetup
{
    Task EnsureAsync(NpgsqlDataSource dataSource, CancellationToken ct);
}

internal sealed class PostgresHealthCheck(NpgsqlDataSource dataSource) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        try
        {
            await using var command = dataSource.CreateCommand("select 1");
            await command.ExecuteScalarAsync(ct);
            return HealthCheckResult.Healthy();
        }
        catch (Exception e)
        {
            return HealthCheckResult.Unhealthy("PostgreSQL is not reachable.", e);
        }
    }
}

/// <summary>A schema that is one idempotent DDL script (create ... if not exists), run at start-up.</summary>
public abstract class SqlSchema(string ddl) : ISchemaSetup
{
    public async Task EnsureAsync(NpgsqlDataSource dataSource, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(ddl);
        await command.ExecuteNonQueryAsync(ct);
    }
}

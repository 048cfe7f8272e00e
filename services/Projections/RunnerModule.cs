using Icp.EventStore;
using Icp.Hosting;
using Icp.Hosting.Security;
using Marten;
using Marten.Events.Daemon.Coordination;

namespace Icp.Projections;

/// <summary>The read models' subscription on Marten's daemon, its lag gauge and readiness check, and the rebuild it can be asked for.</summary>
public static class RunnerModule
{
    public static WebApplicationBuilder AddProjectionRunner(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton<ISchemaSetup>(new QuarantineSchema());
        services.AddSingleton<ProjectionRunner>();
        services.ConfigureMarten((sp, options) => options.Events.Subscribe(sp.GetRequiredService<ProjectionRunner>()));
        services.AddSingleton<ProjectionLag>();
        services.AddHostedService(sp => sp.GetRequiredService<ProjectionLag>());
        services.Configure<ProjectionHealthOptions>(builder.Configuration.GetSection("Projections:Health"));
        services.AddHealthChecks().AddCheck<ReadModelsHealthCheck>("read-models", tags: [ServiceDefaults.ReadyTag]);
        return builder;
    }

    /// <summary><c>POST /api/v1/admin/rebuild</c>: every read model emptied and replayed from the projection store.</summary>
    public static RouteGroupBuilder MapRebuildEndpoint(this RouteGroupBuilder api)
    {
        api.MapPost("/admin/rebuild", async (ProjectionRunner runner, IProjectionCoordinator coordinator, CancellationToken ct) =>
        {
            await runner.RequestRebuildAsync(coordinator, ct);
            return Results.Accepted(value: new { status = "rebuilding" });
        }).WithSummary("Rebuild every read model from the projection store").RequireScope(Scopes.Admin);
        return api;
    }

    private sealed class QuarantineSchema() : SqlSchema(Quarantine.Ddl);
}

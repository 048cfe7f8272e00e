using Icp.Hosting.Security;
using Marten;
using Marten.Events.Daemon.Coordination;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Icp.Hosting.Messaging;

public static class MessagingSetup
{
    /// <summary>
    /// MassTransit on RabbitMQ: retries with back-off then the error queue, endpoints named after the service.
    /// With <paramref name="relayOutbox"/>, the service's committed events are published by the outbox relay.
    /// </summary>
    public static WebApplicationBuilder AddIcpMessaging(this WebApplicationBuilder builder, bool relayOutbox,
        Action<IBusRegistrationConfigurator>? configureConsumers = null,
        Action<IBusRegistrationContext, IRabbitMqBusFactoryConfigurator>? configureBus = null)
    {
        var service = ServiceDefaults.RegisteredServiceInfo(builder.Services);
        builder.Services.Configure<RabbitMqOptions>(builder.Configuration.GetSection("RabbitMq"));

        builder.Services.AddMassTransit(x =>
        {
            x.DisableUsageTelemetry(); // the machines have no route out; it would only log failures
            x.SetEndpointNameFormatter(new KebabCaseEndpointNameFormatter(service.Name, false));
            configureConsumers?.Invoke(x);
            x.UsingRabbitMq((context, cfg) =>
            {
                var options = context.GetRequiredService<IOptions<RabbitMqOptions>>().Value;
                cfg.Host(options.Host, options.Port, options.VirtualHost, h =>
                {
                    h.Username(options.Username);
                    h.Password(options.Password);
                    h.PublisherConfirmation = true;
                });
                cfg.UseMessageRetry(r => r.Exponential(5, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(20), TimeSpan.FromMilliseconds(500)));
                configureBus?.Invoke(context, cfg);
                cfg.ConfigureEndpoints(context);
            });
        });
        builder.Services.AddHostedService<BusWatchdog>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.Configure<MassTransitHostOptions>(o =>
        {
            o.WaitUntilStarted = false;
            o.StopTimeout = TimeSpan.FromSeconds(10);
        });
        if (relayOutbox)
        {
            builder.Services.AddSingleton<OutboxRelay>();
            builder.Services.ConfigureMarten((sp, options) => options.Events.Subscribe(sp.GetRequiredService<OutboxRelay>()));
            builder.Services.AddHealthChecks().AddCheck<OutboxHealthCheck>("outbox", tags: [ServiceDefaults.ReadyTag]);
        }
        return builder;
    }

    /// <summary>
    /// <c>POST /api/v1/admin/{service}/replay</c>: the outbox relay publishes the whole log again;
    /// <c>GET …/quarantine</c> and <c>POST …/quarantine/retry</c>: the events it could not publish, and another try.
    /// </summary>
    public static WebApplication MapOutboxAdmin(this WebApplication app)
    {
        var service = app.Services.GetRequiredService<ServiceInfo>();
        var admin = app.MapGroup($"/api/v1/admin/{service.Name}").RequireScope(Scopes.Admin);
        admin.MapPost("/replay", async (IProjectionCoordinator daemon, CancellationToken ct) =>
        {
            // Consumers de-duplicate by event id, so publishing everything again only reaches those that missed it.
            await daemon.DaemonForMainDatabase().RewindSubscriptionAsync(OutboxRelay.SubscriptionName, ct);
            return Results.Accepted(value: new { status = "replaying", service = service.Name });
        });
        admin.MapGet("/quarantine", async (IDocumentStore store, CancellationToken ct) =>
        {
            await using var session = store.QuerySession();
            var entries = (await RelayDeadLetters.ListAsync(session, ct)).Select(d => new
            {
                consumer = d.ProjectionName, eventSequence = d.EventSequence, error = d.ExceptionMessage,
                errorType = d.ExceptionType, quarantinedAt = d.Timestamp,
            }).ToList();
            return Results.Ok(new { total = entries.Count, entries });
        }).WithSummary("Events the outbox relay could not publish");
        admin.MapPost("/quarantine/retry", async (OutboxRelay relay, IDocumentStore store, CancellationToken ct) =>
        {
            var (retried, published) = await relay.RetryQuarantinedAsync(store, ct);
            return Results.Ok(new { retried, published });
        }).WithSummary("Publish the quarantined events again");
        return app;
    }
}

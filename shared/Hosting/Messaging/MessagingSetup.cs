using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
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
        builder.Services.Configure<MassTransitHostOptions>(o =>
        {
            o.WaitUntilStarted = false;
            o.StopTimeout = TimeSpan.FromSeconds(10);
        });
        if (relayOutbox)
        {
            builder.Services.AddSingleton<OutboxRelay>();
            builder.Services.AddHostedService(sp => sp.GetRequiredService<OutboxRelay>());
        }
        return builder;
    }

    /// <summary><c>POST /api/v1/admin/{service}/replay</c>: the outbox relay publishes the whole log again.</summary>
    public static WebApplication MapOutboxAdmin(this WebApplication app)
    {
        var service = app.Services.GetRequiredService<ServiceInfo>();
        app.MapPost($"/api/v1/admin/{service.Name}/replay", (OutboxRelay relay) =>
        {
            relay.RequestReplay();
            return Results.Accepted(value: new { status = "replaying", service = service.Name });
        });
        return app;
    }
}

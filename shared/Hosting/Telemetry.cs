using System.Diagnostics;
using System.Diagnostics.Metrics;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Icp.Hosting;

/// <summary>The platform's own activity source and meter, and the OpenTelemetry providers built by hand
/// (the hosting integration package is not available): disposed with the service container on shutdown.</summary>
public static class Telemetry
{
    public const string SourceName = "Icp";
    public static readonly ActivitySource Source = new(SourceName);
    public static readonly Meter Meter = new(SourceName);

    public static readonly string[] TraceSources =
        ["Microsoft.AspNetCore", "System.Net.Http", "MassTransit", "Npgsql", "Yarp.ReverseProxy", SourceName];

    public static readonly string[] Meters =
        ["Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "System.Net.Http", "MassTransit", "Npgsql", SourceName];

    /// <summary>True when OTEL_EXPORTER_OTLP_ENDPOINT names a collector.</summary>
    public static bool OtlpConfigured =>
        !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT"));

    public static (TracerProvider Tracer, MeterProvider Meter) BuildProviders(string serviceName)
    {
        var resource = ResourceBuilder.CreateDefault().AddService(serviceName, serviceNamespace: "icp");
        var tracer = Sdk.CreateTracerProviderBuilder().SetResourceBuilder(resource).AddSource(TraceSources);
        var meter = Sdk.CreateMeterProviderBuilder().SetResourceBuilder(resource).AddMeter(Meters);
        if (OtlpConfigured)
        {
            tracer.AddOtlpExporter();
            meter.AddOtlpExporter();
        }
        return (tracer.Build(), meter.Build());
    }

    /// <summary>Restores a trace context stored as a W3C traceparent, or the default when absent or malformed.</summary>
    public static ActivityContext ParentFrom(string? traceParent, string? traceState) =>
        traceParent is not null && ActivityContext.TryParse(traceParent, traceState, out var context) ? context : default;
}

using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Icp.Hosting;

/// <summary>The platform's own activity source and meter, and OpenTelemetry for every process: ASP.NET Core, HttpClient
/// and runtime instrumentation, and the sources of MassTransit, Npgsql, Marten and YARP.</summary>
public static class Telemetry
{
    public const string SourceName = "Icp";
    public static readonly ActivitySource Source = new(SourceName);
    public static readonly Meter Meter = new(SourceName);

    private static readonly string[] TraceSources = ["MassTransit", "Marten", "Yarp.ReverseProxy", SourceName];

    private static readonly string[] Meters = ["MassTransit", "Marten", SourceName];

    /// <summary>True when OTEL_EXPORTER_OTLP_ENDPOINT names a collector.</summary>
    public static bool OtlpConfigured =>
        !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT"));

    public static void AddIcpTelemetry(this IServiceCollection services, string serviceName)
    {
        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(serviceName, serviceNamespace: "icp"))
            .WithTracing(t => t.AddAspNetCoreInstrumentation().AddHttpClientInstrumentation().AddNpgsql().AddSource(TraceSources))
            .WithMetrics(m => m.AddAspNetCoreInstrumentation().AddHttpClientInstrumentation().AddRuntimeInstrumentation()
                .AddNpgsqlInstrumentation().AddMeter(Meters));
        if (OtlpConfigured) telemetry.UseOtlpExporter();
    }

    /// <summary>Restores a trace context stored as a W3C traceparent, or the default when absent or malformed.</summary>
    public static ActivityContext ParentFrom(string? traceParent, string? traceState) =>
        traceParent is not null && ActivityContext.TryParse(traceParent, traceState, out var context) ? context : default;
}

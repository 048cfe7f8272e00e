using Icp.EventStore;
using Icp.Hosting;
using Icp.Hosting.Messaging;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace Icp.Projections;

/// <summary>How far the read models are behind the projection store, and what the quarantine holds.</summary>
public sealed record ProjectionLagSnapshot(
    long EventsBehind,
    double SecondsBehind,
    IReadOnlyDictionary<string, long> Quarantined,
    string Position,
    int ConsecutiveFailures,
    string? LastFailure)
{
    public long QuarantinedTotal => Quarantined.Values.Sum();
}

/// <summary>
/// Measures the read models' lag (events stored but not yet applied, and how long the oldest of them has waited) and
/// the quarantine's size: for /health/ready and, every few seconds, for the metrics.
/// </summary>
public sealed partial class ProjectionLag(NpgsqlDataSource dataSource, ProjectionRunner runner, ILogger<ProjectionLag> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    public ProjectionLagSnapshot? Current { get; private set; }

    public async Task<ProjectionLagSnapshot> MeasureAsync(CancellationToken ct)
    {
        var lag = await SubscriptionLag.MeasureAsync(dataSource, ProjectionRunner.SubscriptionName, ct, runner.Position);
        var snapshot = new ProjectionLagSnapshot(lag.EventsBehind, lag.SecondsBehind, await Quarantine.CountAsync(dataSource, ct),
            lag.Position.ToString(System.Globalization.CultureInfo.InvariantCulture), runner.ConsecutiveFailures, runner.LastFailure);
        Current = snapshot;
        return snapshot;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        Telemetry.Meter.CreateObservableGauge("icp.projections.lag.events", () => Current?.EventsBehind ?? 0,
            description: "Events in the projection store not yet applied to the read models");
        Telemetry.Meter.CreateObservableGauge("icp.projections.lag.seconds", () => Current?.SecondsBehind ?? 0, unit: "s",
            description: "How long the oldest event not yet applied to the read models has waited");
        Telemetry.Meter.CreateObservableGauge("icp.projections.quarantine.size", () => Current?.QuarantinedTotal ?? 0,
            description: "Events and work items set aside because a read model could not apply them");
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await MeasureAsync(stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                LogMeasureFailed(e);
            }
            try
            {
                await Task.Delay(Interval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not measure the read models' lag")]
    private partial void LogMeasureFailed(Exception e);
}

/// <summary>Options of the read models' readiness: how far behind is still Healthy.</summary>
public sealed class ProjectionHealthOptions
{
    /// <summary>Degraded when the oldest event not yet applied has waited longer than this.</summary>
    public double MaxSecondsBehind { get; set; } = 30;

    /// <summary>Degraded after this many batches in a row failed (the database refusing work, say).</summary>
    public int MaxConsecutiveFailures { get; set; } = 3;
}

/// <summary>
/// Readiness of the read models: Degraded (still serving, but not current or not complete) when they lag, when batches
/// keep failing, or when anything is quarantined; never Healthy while a projection is stuck.
/// </summary>
public sealed class ReadModelsHealthCheck(ProjectionLag lag, Microsoft.Extensions.Options.IOptions<ProjectionHealthOptions> options)
    : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        ProjectionLagSnapshot s;
        try
        {
            s = await lag.MeasureAsync(ct);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy("The read models' lag cannot be measured: PostgreSQL is not reachable.");
        }
        var data = new Dictionary<string, object>
        {
            ["eventsBehind"] = s.EventsBehind,
            ["secondsBehind"] = s.SecondsBehind,
            ["quarantined"] = s.QuarantinedTotal,
            ["quarantinedByReadModel"] = s.Quarantined,
            ["position"] = s.Position,
            ["consecutiveFailures"] = s.ConsecutiveFailures,
        };
        if (s.LastFailure is not null) data["lastFailure"] = s.LastFailure;
        var problems = new List<string>();
        var limits = options.Value;
        if (s.SecondsBehind > limits.MaxSecondsBehind)
            problems.Add($"{s.EventsBehind} events behind, the oldest waiting {s.SecondsBehind:0} s");
        if (s.ConsecutiveFailures >= limits.MaxConsecutiveFailures)
            problems.Add($"{s.ConsecutiveFailures} batches failed in a row");
        if (s.QuarantinedTotal > 0)
            problems.Add($"{s.QuarantinedTotal} quarantined (GET /api/v1/admin/quarantine)");
        return problems.Count == 0
            ? HealthCheckResult.Healthy($"Current: {s.EventsBehind} events behind.", data)
            : HealthCheckResult.Degraded($"Read models: {string.Join("; ", problems)}.", data: data);
    }
}

using Icp.EventStore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace Icp.Hosting.Messaging;

/// <summary>
/// Readiness of the outbox relay: Degraded when committed events have waited over a minute to reach the broker (the
/// broker is down, say) or when events were set aside because they could not be published.
/// </summary>
internal sealed class OutboxHealthCheck(PostgresEventStore store) : IHealthCheck
{
    private const double MaxSecondsBehind = 60;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        Lag lag;
        IReadOnlyDictionary<string, long> quarantined;
        try
        {
            lag = await LogLag.MeasureAsync(store.DataSource, OutboxRelay.CheckpointName, ct);
            quarantined = await Quarantine.CountAsync(store.DataSource, ct);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy("The relay's lag cannot be measured: PostgreSQL is not reachable.");
        }
        var setAside = quarantined.GetValueOrDefault(OutboxRelay.QuarantineConsumer);
        var data = new Dictionary<string, object>
        {
            ["eventsBehind"] = lag.EventsBehind,
            ["secondsBehind"] = lag.SecondsBehind,
            ["quarantined"] = setAside,
        };
        var problems = new List<string>();
        if (lag.SecondsBehind > MaxSecondsBehind) problems.Add($"{lag.EventsBehind} events not yet published, the oldest for {lag.SecondsBehind:0} s");
        if (setAside > 0) problems.Add($"{setAside} events quarantined");
        return problems.Count == 0
            ? HealthCheckResult.Healthy($"{lag.EventsBehind} events waiting to be published.", data)
            : HealthCheckResult.Degraded($"Outbox: {string.Join("; ", problems)}.", data: data);
    }
}

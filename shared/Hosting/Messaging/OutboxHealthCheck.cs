using Icp.EventStore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace Icp.Hosting.Messaging;

/// <summary>
/// Readiness of the outbox relay: Degraded when committed events have waited over a minute to reach the broker (the
/// broker is down, say) or when events were set aside because they could not be published.
/// </summary>
internal sealed class OutboxHealthCheck(EventLog log) : IHealthCheck
{
    private const double MaxSecondsBehind = 60;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        SubscriptionLag lag;
        long quarantined;
        try
        {
            lag = await SubscriptionLag.MeasureAsync(log.DataSource, OutboxRelay.SubscriptionName, ct);
            await using var count = log.DataSource.CreateCommand(
                "select count(*) from mt_doc_deadletterevent where data ->> 'projectionName' = $1");
            count.Parameters.Add(new() { Value = OutboxRelay.SubscriptionName });
            quarantined = (long)(await count.ExecuteScalarAsync(ct))!;
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy("The relay's lag cannot be measured: PostgreSQL is not reachable.");
        }
        var data = new Dictionary<string, object>
        {
            ["eventsBehind"] = lag.EventsBehind,
            ["secondsBehind"] = lag.SecondsBehind,
            ["quarantined"] = quarantined,
        };
        var problems = new List<string>();
        if (lag.SecondsBehind > MaxSecondsBehind)
            problems.Add($"{lag.EventsBehind} events not yet published, the oldest for {lag.SecondsBehind:0} s");
        if (quarantined > 0) problems.Add($"{quarantined} events quarantined");
        return problems.Count == 0
            ? HealthCheckResult.Healthy($"{lag.EventsBehind} events waiting to be published.", data)
            : HealthCheckResult.Degraded($"Outbox: {string.Join("; ", problems)}.", data: data);
    }
}

/// <summary>How far a subscription of Marten's daemon is behind the event log: the events after its progress (its
/// <see cref="Position"/>), and how long the oldest of them has waited (by the database's clock, which stamped them).</summary>
public readonly record struct SubscriptionLag(long EventsBehind, double SecondsBehind, long Position)
{
    // Counting stops here: beyond it the exact number does not change what an operator does.
    private const int CountLimit = 1_000_000;

    public static async Task<SubscriptionLag> MeasureAsync(NpgsqlDataSource dataSource, string subscription, CancellationToken ct,
        long knownPosition = 0)
    {
        await using var command = dataSource.CreateCommand("""
            with progress as (
                select greatest(coalesce(max(last_seq_id), 0), $3) as seq from mt_event_progression where name like $1 || ':%')
            select count(*), coalesce(extract(epoch from now() - min(timestamp)), 0)::float8, (select seq from progress)
            from (select timestamp from mt_events where seq_id > (select seq from progress) order by seq_id limit $2) pending
            """);
        command.Parameters.Add(new() { Value = subscription });
        command.Parameters.Add(new() { Value = CountLimit });
        command.Parameters.Add(new() { Value = knownPosition });
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return new SubscriptionLag(reader.GetInt64(0), Math.Round(Math.Max(0, reader.GetDouble(1)), 1), reader.GetInt64(2));
    }
}

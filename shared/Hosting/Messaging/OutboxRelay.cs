using System.Diagnostics;
using Icp.Contracts;
using Icp.EventStore;
using MassTransit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.CircuitBreaker;

namespace Icp.Hosting.Messaging;

/// <summary>
/// Publishes the service's committed events, in log order, as integration events. The event table is the outbox:
/// the relay's checkpoint advances only after the broker has confirmed every event of a batch, so a crash
/// re-publishes (consumers are idempotent on the event id) but never loses. Within a stream events are published
/// one after another, so a stream's order is kept; different streams are published concurrently.
/// </summary>
public sealed partial class OutboxRelay(PostgresEventStore store, IBus bus, ServiceInfo service, ILogger<OutboxRelay> logger)
    : BackgroundService
{
    public const string CheckpointName = "outbox-relay";
    private const int BatchSize = 1000;
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);

    /// <summary>The quarantine's name for events the relay could not publish.</summary>
    public const string QuarantineConsumer = "outbox-relay";

    private static readonly System.Diagnostics.Metrics.Counter<long> Published =
        Telemetry.Meter.CreateCounter<long>("icp.outbox.published", description: "Events published by the outbox relay");

    private static readonly System.Diagnostics.Metrics.Counter<long> SetAside =
        Telemetry.Meter.CreateCounter<long>("icp.outbox.quarantined", description: "Events the outbox relay could not publish");

    // The breaker's timeout asks a publish to stop; a publish that does not listen (one caught waiting for a confirm
    // on a connection the broker dropped) is abandoned after this, so the relay tries again instead of waiting forever.
    private static readonly TimeSpan PublishBackstop = TimeSpan.FromSeconds(15);

    private volatile bool _replayRequested;

    /// <summary>Publishes the whole log again from the start (consumers de-duplicate by event id): for a consumer
    /// that was added, or lost its store, after the events were first published.</summary>
    public void RequestReplay() => _replayRequested = true;

    private readonly ResiliencePipeline _breaker = new ResiliencePipelineBuilder()
        .AddCircuitBreaker(new CircuitBreakerStrategyOptions
        {
            FailureRatio = 0.5,
            MinimumThroughput = 3,
            SamplingDuration = TimeSpan.FromSeconds(30),
            BreakDuration = TimeSpan.FromSeconds(5),
        })
        // A batch is at most a thousand events (a 50,000-row feed is 500) and publishes in well under a second; a publish
        // begun while the broker was away must not hold the relay long after it is back (measured in the fault suite).
        .AddTimeout(TimeSpan.FromSeconds(10))
        .Build();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await using var watcher = new LogWatcher(store.DataSource);
        var position = await TransientRetry.Database.ExecuteAsync(
            async ct => await Checkpoints.LoadAsync(store.DataSource, CheckpointName, ct), stoppingToken);
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (_replayRequested)
                {
                    _replayRequested = false;
                    position = LogPosition.Start;
                }
                var batch = await store.ReadAllAsync(position, BatchSize, stoppingToken);
                if (batch.Count == 0)
                {
                    await watcher.WaitAsync(PollInterval, stoppingToken);
                    continue;
                }
                await _breaker.ExecuteAsync(async ct => await PublishAsync(batch, ct).WaitAsync(PublishBackstop, ct), stoppingToken);
                position = batch[^1].Position;
                await TransientRetry.Database.ExecuteAsync(
                    async ct => await Checkpoints.SaveAsync(store.DataSource, CheckpointName, position, ct), stoppingToken);
                failures = 0;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                failures++;
                LogRelayFailed(e, failures);
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(10_000, 200 * Math.Pow(2, Math.Min(failures, 6)))), stoppingToken);
            }
        }
    }

    private async Task PublishAsync(IReadOnlyList<RecordedEvent> batch, CancellationToken ct)
    {
        var publishable = new List<(RecordedEvent Event, Type Type, object Body)>(batch.Count);
        foreach (var e in batch)
        {
            if (TryReadBody(e, out var type, out var body, out var error)) publishable.Add((e, type, body));
            else await SetAsideAsync(e, error, ct);
        }
        await Parallel.ForEachAsync(publishable.GroupBy(p => p.Event.StreamId),
            new ParallelOptions { MaxDegreeOfParallelism = 32, CancellationToken = ct },
            async (stream, token) =>
            {
                foreach (var (e, type, body) in stream) await PublishAsync(e, type, body, token);
            });
    }

    /// <summary>Publishes the quarantined events again (after a fix); those that now publish leave the quarantine.</summary>
    public async Task<(int Retried, int Published)> RetryQuarantinedAsync(CancellationToken ct)
    {
        var entries = await Quarantine.ListAsync(store.DataSource, QuarantineConsumer, null, 10_000, ct);
        IReadOnlyList<RecordedEvent> events;
        await using (var connection = await store.DataSource.OpenConnectionAsync(ct))
            events = await PostgresEventStore.ReadByIdsAsync(connection, null,
                entries.Where(e => e.EventId is not null).Select(e => e.EventId!.Value).ToArray(), ct);
        var published = 0;
        foreach (var e in events)
        {
            if (!TryReadBody(e, out var type, out var body, out var error))
            {
                await SetAsideAsync(e, error, ct);
                continue;
            }
            await _breaker.ExecuteAsync(async token => await PublishAsync(e, type, body, token).WaitAsync(PublishBackstop, token), ct);
            await using var connection = await store.DataSource.OpenConnectionAsync(ct);
            await Quarantine.RemoveAsync(connection, null, QuarantineConsumer, e.EventId.ToString(), ct);
            published++;
        }
        return (entries.Count, published);
    }

    private static bool TryReadBody(RecordedEvent e, out Type type, out object body, out string error)
    {
        body = null!;
        error = "";
        if (!IntegrationEvents.TryGetType(e.EventType, out type))
        {
            error = "No integration event contract has this event's type.";
            return false;
        }
        try
        {
            body = IntegrationEvents.Deserialize(e.Data, type);
            return true;
        }
        catch (System.Text.Json.JsonException json)
        {
            error = Quarantine.Describe(json);
            return false;
        }
    }

    // An event that does not match its contract cannot be published; it is set aside (visible in the quarantine and
    // the health report) so that the rest of the log still reaches the broker.
    private async Task SetAsideAsync(RecordedEvent e, string error, CancellationToken ct)
    {
        LogSetAside(e.EventId, e.EventType);
        await TransientRetry.Database.ExecuteAsync(async token =>
        {
            await using var connection = await store.DataSource.OpenConnectionAsync(token);
            await Quarantine.AddAsync(connection, null, QuarantineConsumer, e.EventId.ToString(), e, error, token);
        }, ct);
        SetAside.Add(1);
    }

    private async Task PublishAsync(RecordedEvent e, Type type, object body, CancellationToken ct)
    {
        var parent = Telemetry.ParentFrom(e.Metadata.TraceParent, e.Metadata.TraceState);
        using var activity = Telemetry.Source.StartActivity($"relay {e.EventType}", ActivityKind.Producer, parent);
        activity?.SetTag("icp.event_id", e.EventId);
        activity?.SetTag("icp.stream_id", e.StreamId);
        await bus.Publish(body, type, Pipe.Execute<PublishContext>(context =>
        {
            context.MessageId = e.EventId;
            if (Guid.TryParse(e.Metadata.CorrelationId, out var correlation)) context.CorrelationId = correlation;
            context.Headers.Set(IntegrationHeaders.SourceService, service.Name);
            context.Headers.Set(IntegrationHeaders.StreamId, e.StreamId);
            context.Headers.Set(IntegrationHeaders.StreamVersion, e.StreamVersion);
            context.Headers.Set(IntegrationHeaders.RecordedAt, e.RecordedAt.ToString("O"));
            context.Headers.Set(IntegrationHeaders.EventType, e.EventType);
            if (e.Metadata.Principal is not null) context.Headers.Set(IntegrationHeaders.Principal, e.Metadata.Principal);
            if (e.Metadata.SourceSystem is not null) context.Headers.Set(IntegrationHeaders.SourceSystem, e.Metadata.SourceSystem);
            if (e.Metadata.CorrelationId is not null) context.Headers.Set("icp-correlation-id", e.Metadata.CorrelationId);
        }), ct);
        Published.Add(1);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Event {EventId} ({EventType}) quarantined: it does not match its contract")]
    private partial void LogSetAside(Guid eventId, string eventType);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox relay failed ({Failures} in a row); retrying")]
    private partial void LogRelayFailed(Exception e, int failures);
}

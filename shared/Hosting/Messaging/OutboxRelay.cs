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

    private static readonly System.Diagnostics.Metrics.Counter<long> Published =
        Telemetry.Meter.CreateCounter<long>("icp.outbox.published", description: "Events published by the outbox relay");

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
        .AddTimeout(TimeSpan.FromSeconds(30))
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
                await _breaker.ExecuteAsync(async ct => await PublishAsync(batch, ct), stoppingToken);
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
        var streams = batch.Where(e => IntegrationEvents.TryGetType(e.EventType, out _)).GroupBy(e => e.StreamId);
        await Parallel.ForEachAsync(streams, new ParallelOptions { MaxDegreeOfParallelism = 32, CancellationToken = ct },
            async (stream, token) =>
            {
                foreach (var e in stream) await PublishAsync(e, token);
            });
    }

    private async Task PublishAsync(RecordedEvent e, CancellationToken ct)
    {
        IntegrationEvents.TryGetType(e.EventType, out var type);
        var body = IntegrationEvents.Deserialize(e.Data, type);
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox relay failed ({Failures} in a row); retrying")]
    private partial void LogRelayFailed(Exception e, int failures);
}

using System.Diagnostics;
using Icp.Contracts;
using Icp.EventStore;
using JasperFx.Events;
using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Marten;
using Marten.Subscriptions;
using MassTransit;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.CircuitBreaker;

namespace Icp.Hosting.Messaging;

/// <summary>
/// Publishes the service's committed events, in log order, as integration events: a Marten subscription run by the
/// async daemon (one active instance per store, HotCold). Marten records the subscription's progress only after a
/// page returns, and a page returns only once the broker has confirmed every event of it, so a crash re-publishes
/// (consumers are idempotent on the event id) but never loses. Within a stream events are published one after
/// another, so a stream's order is kept; different streams are published concurrently.
/// </summary>
public sealed partial class OutboxRelay : SubscriptionBase
{
    public const string SubscriptionName = "outbox-relay";

    private static readonly System.Diagnostics.Metrics.Counter<long> Published =
        Telemetry.Meter.CreateCounter<long>("icp.outbox.published", description: "Events published by the outbox relay");

    private static readonly System.Diagnostics.Metrics.Counter<long> SetAside =
        Telemetry.Meter.CreateCounter<long>("icp.outbox.quarantined", description: "Events the outbox relay could not publish");

    // The breaker's timeout asks a publish to stop; a publish that does not listen (one caught waiting for a confirm
    // on a connection the broker dropped) is abandoned after this, so the relay tries again instead of waiting forever.
    private static readonly TimeSpan PublishBackstop = TimeSpan.FromSeconds(15);

    private readonly IBus _bus;
    private readonly ServiceInfo _service;
    private readonly ILogger<OutboxRelay> _logger;

    private readonly ResiliencePipeline _breaker = new ResiliencePipelineBuilder()
        .AddCircuitBreaker(new CircuitBreakerStrategyOptions
        {
            FailureRatio = 0.5,
            MinimumThroughput = 3,
            SamplingDuration = TimeSpan.FromSeconds(30),
            BreakDuration = TimeSpan.FromSeconds(5),
        })
        // A page is at most a thousand events (a 50,000-row feed is 500) and publishes in well under a second; a publish
        // begun while the broker was away must not hold the relay long after it is back (measured in the fault suite).
        .AddTimeout(TimeSpan.FromSeconds(10))
        .Build();

    public OutboxRelay(IBus bus, ServiceInfo service, ILogger<OutboxRelay> logger)
    {
        (_bus, _service, _logger) = (bus, service, logger);
        Name = SubscriptionName;
        Options.BatchSize = 1000;
    }

    public override async Task<IChangeListener> ProcessEventsAsync(EventRange page, ISubscriptionController controller,
        IDocumentOperations operations, CancellationToken ct)
    {
        var publishable = new List<(IEvent Event, Type Type)>(page.Events.Count);
        foreach (var e in page.Events)
        {
            if (IntegrationEvents.TryGetType(e.EventTypeName, out var type) && type == e.Data?.GetType())
                publishable.Add((e, type));
            else
            {
                LogSetAside(e.Id, e.EventTypeName);
                await controller.RecordDeadLetterEventAsync(e,
                    new InvalidOperationException("No integration event contract has this event's type."));
                SetAside.Add(1);
            }
        }
        // The broker being away is not the events' fault: keep trying this page (the daemon's progress stays where it
        // is) until it is published or the relay is stopped.
        for (var failures = 1; ; failures++)
        {
            try
            {
                await _breaker.ExecuteAsync(async token => await PublishAsync(publishable, token)
                    .WaitAsync(PublishBackstop, token), ct);
                return NullChangeListener.Instance;
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                LogRelayFailed(e, failures);
                // At most 2 s apart: a failed try costs nothing, and a longer wait only delays the recovery once the broker
                // is back (a 10 s cap once left the read models 34 s behind a 10 s outage in the fault suite).
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(2_000, 200 * Math.Pow(2, Math.Min(failures, 4)))), ct);
            }
        }
    }

    // Each publish waits for its confirm: 128 streams in flight at once (32 before) took a 50,000-step referral upload
    // (12,500 streams) from 29–34 s to 19–21 s until its read model was current.
    private Task PublishAsync(List<(IEvent Event, Type Type)> events, CancellationToken ct) =>
        Parallel.ForEachAsync(events.GroupBy(p => p.Event.StreamKey),
            new ParallelOptions { MaxDegreeOfParallelism = 128, CancellationToken = ct },
            async (stream, token) =>
            {
                foreach (var (e, type) in stream) await PublishAsync(e, type, token);
            });

    /// <summary>Publishes the events set aside (after a fix); those that now publish leave the quarantine.</summary>
    public async Task<(int Retried, int Published)> RetryQuarantinedAsync(IDocumentStore store, CancellationToken ct)
    {
        await using var session = store.LightweightSession();
        var entries = await RelayDeadLetters.ListAsync(session, ct);
        var sequences = entries.Select(d => d.EventSequence).ToArray();
        var events = await session.Events.QueryAllRawEvents().Where(e => sequences.Contains(e.Sequence)).ToListAsync(ct);
        var published = 0;
        foreach (var e in events.OrderBy(e => e.Sequence))
        {
            if (!IntegrationEvents.TryGetType(e.EventTypeName, out var type) || type != e.Data?.GetType()) continue;
            await _breaker.ExecuteAsync(async token => await PublishAsync(e, type, token).WaitAsync(PublishBackstop, token), ct);
            session.DeleteWhere<DeadLetterEvent>(d => d.ProjectionName == SubscriptionName && d.EventSequence == e.Sequence);
            published++;
        }
        await session.SaveChangesAsync(ct);
        return (entries.Count, published);
    }

    private async Task PublishAsync(IEvent e, Type type, CancellationToken ct)
    {
        var metadata = Icp.EventStore.EventLog.MetadataOf(e);
        var parent = Telemetry.ParentFrom(metadata.TraceParent, metadata.TraceState);
        using var activity = Telemetry.Source.StartActivity($"relay {e.EventTypeName}", ActivityKind.Producer, parent);
        activity?.SetTag("icp.event_id", e.Id);
        activity?.SetTag("icp.stream_id", e.StreamKey);
        await _bus.Publish(e.Data, type, Pipe.Execute<PublishContext>(context =>
        {
            context.MessageId = e.Id;
            if (Guid.TryParse(metadata.CorrelationId, out var correlation)) context.CorrelationId = correlation;
            context.Headers.Set(IntegrationHeaders.SourceService, _service.Name);
            context.Headers.Set(IntegrationHeaders.StreamId, e.StreamKey);
            context.Headers.Set(IntegrationHeaders.StreamVersion, e.Version);
            context.Headers.Set(IntegrationHeaders.RecordedAt, e.Timestamp.ToString("O"));
            context.Headers.Set(IntegrationHeaders.EventType, e.EventTypeName);
            if (metadata.Principal is not null) context.Headers.Set(IntegrationHeaders.Principal, metadata.Principal);
            if (metadata.SourceSystem is not null) context.Headers.Set(IntegrationHeaders.SourceSystem, metadata.SourceSystem);
            if (metadata.CorrelationId is not null) context.Headers.Set("icp-correlation-id", metadata.CorrelationId);
        }), ct);
        Published.Add(1);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Event {EventId} ({EventType}) quarantined: it does not match its contract")]
    private partial void LogSetAside(Guid eventId, string eventType);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox relay failed ({Failures} in a row); retrying")]
    private partial void LogRelayFailed(Exception e, int failures);
}

/// <summary>The events the relay set aside, as Marten's dead-letter records.</summary>
public static class RelayDeadLetters
{
    public static async Task<IReadOnlyList<DeadLetterEvent>> ListAsync(IQuerySession session, CancellationToken ct) =>
        await session.Query<DeadLetterEvent>().Where(d => d.ProjectionName == OutboxRelay.SubscriptionName)
            .OrderBy(d => d.EventSequence).Take(10_000).ToListAsync(ct);
}

using System.Text.Json;
using Icp.Contracts;
using Icp.EventStore;
using Marten;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Icp.Hosting.Messaging;

/// <summary>An integration event as received, to be kept in this service's own store under its origin's stream.</summary>
public sealed record ReceivedEvent(Guid EventId, string StreamId, string EventType, object Body, EventMetadata Metadata);

/// <summary>
/// Stores every received integration event of one type in this service's own Marten store, once per event id, under
/// its origin's stream id (prefixed by the origin service) with the origin's version and time as headers. Read models
/// are built from that store, not from the messages.
/// </summary>
public sealed class InboxConsumer<T>(Inbox inbox) : IConsumer<Batch<T>> where T : class
{
    public Task Consume(ConsumeContext<Batch<T>> context) =>
        inbox.StoreAsync(context.Message.Select(ToReceived).DistinctBy(e => e.EventId).ToList(), context.CancellationToken);

    private static ReceivedEvent ToReceived(ConsumeContext<T> message)
    {
        var headers = message.Headers;
        var source = headers.Get<string>(IntegrationHeaders.SourceService) ?? "unknown";
        var streamId = headers.Get<string>(IntegrationHeaders.StreamId)
            ?? throw new InvalidOperationException($"Message {message.MessageId} has no {IntegrationHeaders.StreamId} header.");
        var version = headers.Get<long>(IntegrationHeaders.StreamVersion)
            ?? throw new InvalidOperationException($"Message {message.MessageId} has no {IntegrationHeaders.StreamVersion} header.");
        DateTimeOffset? recordedAt = DateTimeOffset.TryParse(headers.Get<string>(IntegrationHeaders.RecordedAt), out var at) ? at : null;
        var activity = System.Diagnostics.Activity.Current;
        return new ReceivedEvent(
            message.MessageId ?? throw new InvalidOperationException("Message has no MessageId."),
            $"{source}/{streamId}",
            typeof(T).Name,
            message.Message,
            new EventMetadata
            {
                CorrelationId = headers.Get<string>("icp-correlation-id") ?? message.CorrelationId?.ToString(),
                CausationId = message.MessageId?.ToString(),
                TraceParent = activity?.Id,
                TraceState = activity?.TraceStateString,
                Principal = headers.Get<string>(IntegrationHeaders.Principal),
                SourceSystem = headers.Get<string>(IntegrationHeaders.SourceSystem),
                SourceStreamVersion = version,
                SourceRecordedAt = recordedAt,
            });
    }
}

/// <summary>
/// The consumer side's store of received events. A redelivered event (an id already stored) is left out, so any
/// number of deliveries in any order store each event once. An event the store refuses for what it holds (PostgreSQL's
/// jsonb cannot hold a NUL character, say) is set aside in the quarantine with its body, and the rest are stored: a
/// failing batch is halved until the refused events are found.
/// </summary>
public sealed partial class Inbox(IDocumentStore store, NpgsqlDataSource dataSource, AppendWakeup wakeup, ILogger<Inbox> logger)
{
    /// <summary>The quarantine's name for received events the store refused.</summary>
    public const string ConsumerName = "inbox";

    private sealed record Kept(string StreamId, string EventType, string Body, EventMetadata Metadata);

    /// <summary>Stores the events not already stored; returns how many were new.</summary>
    public Task<int> StoreAsync(IReadOnlyList<ReceivedEvent> events, CancellationToken ct) =>
        TransientRetry.Database.ExecuteAsync(token => StoreIsolatedAsync(events, token), ct).AsTask();

    private async ValueTask<int> StoreIsolatedAsync(IReadOnlyList<ReceivedEvent> events, CancellationToken ct)
    {
        if (events.Count == 0) return 0;
        try
        {
            return await StoreNewAsync(events, ct);
        }
        catch (Exception e) when (!ct.IsCancellationRequested && !Failures.IsTransient(e) && !IsDuplicateId(e))
        {
            if (events.Count == 1)
            {
                await SetAsideAsync(events[0], e, ct);
                return 0;
            }
        }
        var half = events.Count / 2;
        return await StoreIsolatedAsync(events.Take(half).ToList(), ct) + await StoreIsolatedAsync(events.Skip(half).ToList(), ct);
    }

    private async Task<int> StoreNewAsync(IReadOnlyList<ReceivedEvent> events, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(ct);
                await using var tx = await connection.BeginTransactionAsync(ct);
                // Batches run concurrently and Marten's quick append numbers a stream's events from what it reads, so two
                // appends to one stream would collide: each batch holds its streams (in one order, so never in a cycle).
                // Holding them, it also sees every earlier delivery of its events.
                await using (var lockStreams = new NpgsqlCommand(
                    "select count(pg_advisory_xact_lock(hashtext(s))) from (select distinct s from unnest($1::text[]) s order by s) t",
                    connection, tx))
                {
                    lockStreams.Parameters.Add(new() { Value = events.Select(e => e.StreamId).ToArray() });
                    await lockStreams.ExecuteScalarAsync(ct);
                }
                var stored = await StoredIdsAsync(connection, tx, events.Select(e => e.EventId).ToArray(), ct);
                var fresh = events.Where(e => !stored.Contains(e.EventId)).ToList();
                if (fresh.Count == 0) return 0;
                await using var session = store.LightweightSession(Marten.Services.SessionOptions.ForTransaction(tx));
                foreach (var received in fresh) session.Events.Append(received.StreamId, Wrap(session, received));
                await session.SaveChangesAsync(ct);
                await tx.CommitAsync(ct);
                // The session's own commit hook ran before this transaction committed, when nothing was yet to be seen.
                wakeup.Pulse();
                return fresh.Count;
            }
            catch (Exception e) when (IsDuplicateId(e) && attempt < 3)
            {
                // Not expected while the streams are held; tried again, the check above finds what is stored.
            }
        }
    }

    private static JasperFx.Events.IEvent Wrap(IDocumentSession session, ReceivedEvent received)
    {
        var e = session.Events.BuildEvent(received.Body);
        e.Id = received.EventId;
        var metadata = received.Metadata;
        e.CorrelationId = metadata.CorrelationId;
        e.CausationId = metadata.CausationId;
        foreach (var (name, value) in EventLog.HeadersOf(metadata)) e.SetHeader(name, value);
        return e;
    }

    private static async Task<HashSet<Guid>> StoredIdsAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, Guid[] ids, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("select id from mt_events where id = any($1)", connection, tx);
        command.Parameters.Add(new() { Value = ids });
        var stored = new HashSet<Guid>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) stored.Add(reader.GetGuid(0));
        return stored;
    }

    private async Task SetAsideAsync(ReceivedEvent received, Exception error, CancellationToken ct)
    {
        LogSetAside(error, received.EventId, received.EventType);
        var kept = new Kept(received.StreamId, received.EventType, JsonSerializer.Serialize(received.Body, received.Body.GetType(), ServiceDefaults.Json),
            received.Metadata);
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await Quarantine.AddAsync(connection, null, ConsumerName, received.EventId.ToString(),
            new RecordedEvent(received.EventId, received.StreamId, received.Metadata.SourceStreamVersion ?? 0, received.EventType, "",
                received.Metadata, DateTimeOffset.UtcNow, 0),
            Quarantine.Describe(error), ct, JsonSerializer.Serialize(kept, ServiceDefaults.Json));
    }

    /// <summary>
    /// Stores the events set aside again (after a fix); those now stored leave the quarantine, the others stay with
    /// one more attempt counted. Returns how many were stored.
    /// </summary>
    public async Task<int> RetryAsync(IReadOnlyCollection<string> itemIds, CancellationToken ct)
    {
        IReadOnlyDictionary<string, string> kept;
        await using (var connection = await dataSource.OpenConnectionAsync(ct))
            kept = await Quarantine.KeptAsync(connection, null, ConsumerName, itemIds, ct);
        var stored = 0;
        foreach (var (itemId, json) in kept)
        {
            var entry = JsonSerializer.Deserialize<Kept>(json, ServiceDefaults.Json)!;
            ReceivedEvent received;
            try
            {
                if (!IntegrationEvents.TryGetType(entry.EventType, out var type)) throw new JsonException($"No contract is named '{entry.EventType}'.");
                received = new ReceivedEvent(Guid.Parse(itemId), entry.StreamId, entry.EventType, IntegrationEvents.Deserialize(entry.Body, type),
                    entry.Metadata);
            }
            catch (JsonException e)
            {
                await using var connection = await dataSource.OpenConnectionAsync(ct);
                await Quarantine.AddAsync(connection, null, ConsumerName, itemId, null, Quarantine.Describe(e), ct, json);
                continue;
            }
            await StoreAsync([received], ct);
            await using (var connection = await dataSource.OpenConnectionAsync(ct))
            {
                if (await StoredIdsAsync(connection, null, [received.EventId], ct) is not { Count: 1 }) continue;
                await Quarantine.RemoveAsync(connection, null, ConsumerName, itemId, ct);
            }
            stored++;
        }
        return stored;
    }

    private static bool IsDuplicateId(Exception e) =>
        (e as PostgresException ?? e.InnerException as PostgresException) is { SqlState: PostgresErrorCodes.UniqueViolation };

    [LoggerMessage(Level = LogLevel.Error, Message = "Received event {EventId} ({EventType}) set aside: the store refused it")]
    private partial void LogSetAside(Exception e, Guid eventId, string eventType);
}

public static class InboxRegistration
{
    /// <summary>Registers an inbox batch consumer for every integration event type, all on one receive endpoint.</summary>
    public static void AddInboxConsumers(this IBusRegistrationConfigurator x)
    {
        x.TryAddSingleton<Inbox>();
        foreach (var type in IntegrationEventTypes.All)
            x.AddConsumer(typeof(InboxConsumer<>).MakeGenericType(type), typeof(InboxConsumerDefinition<>).MakeGenericType(type));
    }
}

public sealed class InboxConsumerDefinition<T> : ConsumerDefinition<InboxConsumer<T>> where T : class
{
    /// <summary>Tries, two seconds apart, before a batch is given up on for a database fault: a 30-minute outage.</summary>
    public const int StoreOutageRetries = 900;

    public InboxConsumerDefinition(ServiceInfo service)
    {
        EndpointName = $"{service.Name}-inbox";
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpoint, IConsumerConfigurator<InboxConsumer<T>> consumer,
        IRegistrationContext context)
    {
        endpoint.PrefetchCount = 2000;
        consumer.Options<BatchOptions>(o => o.SetMessageLimit(500).SetTimeLimit(TimeSpan.FromMilliseconds(20)).SetConcurrencyLimit(2));
        // While the database is away (restarting, failing over) a batch waits for it rather than exhausting the bus's
        // few retries and landing in the error queue, where nothing would apply it until someone re-drives it.
        consumer.UseMessageRetry(r =>
        {
            r.Handle<Exception>(e => e is not OperationCanceledException && Failures.IsTransient(e));
            r.Interval(StoreOutageRetries, TimeSpan.FromSeconds(2));
        });
    }
}

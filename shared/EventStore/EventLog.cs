using JasperFx.Events;
using Marten;
using Npgsql;

namespace Icp.EventStore;

/// <summary>Work done in the transaction that appends the events, so that both are stored or neither.</summary>
public delegate Task InTransaction(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken ct);

/// <summary>The events to append to one stream, with the version the writer expects it to have.</summary>
public sealed record StreamAppend(string StreamId, ExpectedVersion Expected, IReadOnlyList<object> Events);

/// <summary>
/// A write service's store of record: Marten's event store on the service's own database (string stream ids, quick
/// appends), with the request's metadata on every event and the service's inline tables written in the same
/// transaction.
/// </summary>
public sealed class EventLog(IDocumentStore store, NpgsqlDataSource dataSource, Func<Type, bool>? isContract = null)
{
    public const string PrincipalHeader = "principal";
    public const string SourceSystemHeader = "source-system";
    public const string TraceParentHeader = "traceparent";
    public const string TraceStateHeader = "tracestate";
    /// <summary>On an event copied from another service's store: its version and time there.</summary>
    public const string SourceVersionHeader = "source-version";
    public const string SourceRecordedAtHeader = "source-recorded-at";

    /// <summary>The database the store and the service's own tables share.</summary>
    public NpgsqlDataSource DataSource => dataSource;

    /// <summary>
    /// Appends to one or more streams in a single transaction, then runs <paramref name="inTransaction"/> in that
    /// transaction. Throws <see cref="ConcurrencyException"/> when a stream is not at its expected version; nothing is
    /// stored then.
    /// </summary>
    public Task AppendAsync(IReadOnlyList<StreamAppend> appends, EventMetadata metadata,
        InTransaction? inTransaction = null, CancellationToken ct = default)
    {
        // Only contracts are stored: anything else could never be published, so it is a bug to fail on here.
        if (isContract is not null && appends.SelectMany(a => a.Events).FirstOrDefault(e => !isContract(e.GetType())) is { } stray)
            throw new ArgumentException($"Not an integration event: {stray.GetType().FullName}");
        return TransientRetry.Database.ExecuteAsync(async token =>
        {
            await using var session = store.LightweightSession();
            session.CorrelationId = metadata.CorrelationId;
            session.CausationId = metadata.CausationId;
            session.LastModifiedBy = metadata.Principal;
            foreach (var (name, value) in HeadersOf(metadata)) session.SetHeader(name, value);
            foreach (var append in appends) Queue(session, append);
            if (inTransaction is not null)
                ((ITransactionParticipantRegistrar)session).AddTransactionParticipant(new Participant(inTransaction));
            try
            {
                await session.SaveChangesAsync(token);
            }
            catch (Exception e) when (IsConcurrencyConflict(e))
            {
                throw new ConcurrencyException(StreamOf(e, appends), ExpectedVersion.Any, e);
            }
        }, ct).AsTask();
    }

    public Task AppendAsync(StreamAppend append, EventMetadata metadata, InTransaction? inTransaction = null,
        CancellationToken ct = default) => AppendAsync([append], metadata, inTransaction, ct);

    private static void Queue(IDocumentSession session, StreamAppend append)
    {
        if (append.Events.Count == 0) throw new ArgumentException($"No events to append to '{append.StreamId}'.");
        var events = append.Events.ToArray();
        switch (append.Expected)
        {
            case { IsAny: true }:
                session.Events.Append(append.StreamId, events);
                break;
            case { Value: 0 }:
                session.Events.StartStream(append.StreamId, events);
                break;
            default:
                // Marten's expected version is the one the stream has once these events are in.
                session.Events.Append(append.StreamId, append.Expected.Value + events.Length, events);
                break;
        }
    }

    /// <summary>The headers an event is stored with for <paramref name="metadata"/> (those it has), read back by <see cref="MetadataOf(IEvent)"/>.</summary>
    public static IEnumerable<(string Name, string Value)> HeadersOf(EventMetadata metadata)
    {
        (string, string?)[] headers =
        [
            (PrincipalHeader, metadata.Principal), (SourceSystemHeader, metadata.SourceSystem), (TraceParentHeader, metadata.TraceParent),
            (TraceStateHeader, metadata.TraceState),
            (SourceVersionHeader, metadata.SourceStreamVersion?.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            (SourceRecordedAtHeader, metadata.SourceRecordedAt?.ToString("O")),
        ];
        foreach (var (name, value) in headers)
            if (value is not null) yield return (name, value);
    }

    private static bool IsConcurrencyConflict(Exception e) =>
        e is JasperFx.Events.EventStreamUnexpectedMaxEventIdException
            or JasperFx.Events.ExistingStreamIdCollisionException
            or Marten.Exceptions.ExistingStreamIdCollisionException
            or JasperFx.ConcurrencyException
        || (e is Marten.Exceptions.MartenCommandException { InnerException: PostgresException pg }
            && pg.SqlState == PostgresErrorCodes.UniqueViolation);

    private static string StreamOf(Exception e, IReadOnlyList<StreamAppend> appends) =>
        appends.FirstOrDefault(a => e.Message.Contains(a.StreamId, StringComparison.Ordinal))?.StreamId
        ?? (appends.Count == 1 ? appends[0].StreamId : "one of several streams");

    /// <summary>A stream's events in order, with their bodies as the contract types they were written as.</summary>
    public async Task<IReadOnlyList<IEvent>> ReadStreamAsync(string streamId, CancellationToken ct = default)
    {
        await using var session = store.QuerySession();
        return await session.Events.FetchStreamAsync(streamId, token: ct);
    }

    /// <summary>The stream's current version, or 0 when it does not exist.</summary>
    public async Task<long> GetStreamVersionAsync(string streamId, CancellationToken ct = default)
    {
        await using var session = store.QuerySession();
        return (await session.Events.FetchStreamStateAsync(streamId, ct))?.Version ?? 0;
    }

    /// <summary>Who and what caused a stored event, as the writer recorded it.</summary>
    public static EventMetadata MetadataOf(IEvent e) => MetadataOf(e.Headers, e.CorrelationId, e.CausationId, e.UserName);

    /// <summary>The metadata of an event from its stored headers and columns (header values as Marten stored them).</summary>
    public static EventMetadata MetadataOf<TValue>(IReadOnlyDictionary<string, TValue>? headers, string? correlationId, string? causationId,
        string? userName)
    {
        string? Header(string name) => headers?.TryGetValue(name, out var value) == true ? value?.ToString() : null;
        return new EventMetadata
        {
            CorrelationId = correlationId,
            CausationId = causationId,
            Principal = Header(PrincipalHeader) ?? userName,
            SourceSystem = Header(SourceSystemHeader),
            TraceParent = Header(TraceParentHeader),
            TraceState = Header(TraceStateHeader),
            SourceStreamVersion = long.TryParse(Header(SourceVersionHeader), out var version) ? version : null,
            SourceRecordedAt = DateTimeOffset.TryParse(Header(SourceRecordedAtHeader), out var at) ? at : null,
        };
    }

    private sealed class Participant(InTransaction work) : ITransactionParticipant
    {
        public Task BeforeCommitAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken token) =>
            work(connection, transaction, token);
    }
}

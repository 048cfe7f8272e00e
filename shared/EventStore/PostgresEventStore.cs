using System.Text.Json;
using Npgsql;
using NpgsqlTypes;

namespace Icp.EventStore;

/// <summary>Work to run inside an append's transaction, e.g. an inline read model or a checkpoint.</summary>
public delegate Task InTransaction(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken ct);

/// <summary>A small Marten-shaped event store on one PostgreSQL database.</summary>
public sealed class PostgresEventStore(NpgsqlDataSource dataSource)
{
    private static readonly JsonSerializerOptions MetadataJson = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    public NpgsqlDataSource DataSource => dataSource;

    public Task EnsureSchemaAsync(CancellationToken ct = default) => EventStoreSchema.EnsureAsync(dataSource, ct);

    public async Task<long> AppendAsync(string streamId, string streamType, ExpectedVersion expected,
        IReadOnlyList<NewEvent> events, CancellationToken ct = default) =>
        (await AppendAsync([new RawStreamAppend(streamId, streamType, expected, events)], null, ct))[0];

    /// <summary>
    /// Appends to one or more streams in a single transaction, then runs <paramref name="inTransaction"/>
    /// in the same transaction. Returns each stream's new version, in the order given.
    /// Throws <see cref="ConcurrencyException"/> when any stream is not at its expected version; nothing is stored then.
    /// </summary>
    public Task<IReadOnlyList<long>> AppendAsync(IReadOnlyList<RawStreamAppend> appends,
        InTransaction? inTransaction = null, CancellationToken ct = default) =>
        TransientRetry.Database.ExecuteAsync(async token =>
        {
            await using var connection = await dataSource.OpenConnectionAsync(token);
            await using var tx = await connection.BeginTransactionAsync(token);
            var versions = await AppendAsync(connection, tx, appends, token);
            if (inTransaction is not null) await inTransaction(connection, tx, token);
            await tx.CommitAsync(token);
            return versions;
        }, ct).AsTask();

    /// <summary>Appends inside a transaction the caller owns and commits.</summary>
    public static async Task<IReadOnlyList<long>> AppendAsync(NpgsqlConnection connection, NpgsqlTransaction tx,
        IReadOnlyList<RawStreamAppend> appends, CancellationToken ct = default)
    {
        var newVersions = await ReserveVersionsAsync(connection, tx, appends, ct);
        await WriteEventsAsync(connection, appends, newVersions, ct);
        await using (var notify = new NpgsqlCommand($"select pg_notify('{EventStoreSchema.AppendedChannel}', '')", connection, tx))
            await notify.ExecuteNonQueryAsync(ct);
        return newVersions;
    }

    // Streams are locked in a stable order so that two multi-stream appends cannot deadlock.
    private static async Task<long[]> ReserveVersionsAsync(NpgsqlConnection connection, NpgsqlTransaction tx,
        IReadOnlyList<RawStreamAppend> appends, CancellationToken ct)
    {
        var order = Enumerable.Range(0, appends.Count)
            .OrderBy(i => appends[i].StreamId, StringComparer.Ordinal).ToArray();
        await using var batch = new NpgsqlBatch(connection, tx);
        foreach (var i in order)
        {
            var append = appends[i];
            if (append.Events.Count == 0) throw new ArgumentException($"No events to append to '{append.StreamId}'.");
            var sql = append.Expected switch
            {
                { IsAny: true } => """
                    insert into streams (stream_id, stream_type, version) values ($1, $2, $3)
                    on conflict (stream_id) do update set version = streams.version + excluded.version, updated_at = now()
                    returning version
                    """,
                { Value: 0 } => """
                    insert into streams (stream_id, stream_type, version) values ($1, $2, $3)
                    on conflict (stream_id) do nothing returning version
                    """,
                _ => """
                    update streams set version = version + $3, updated_at = now()
                    where stream_id = $1 and version = $4 returning version
                    """,
            };
            var command = new NpgsqlBatchCommand(sql)
            {
                Parameters = { new() { Value = append.StreamId }, new() { Value = append.StreamType }, new() { Value = (long)append.Events.Count } }
            };
            if (append.Expected is { IsAny: false, Value: > 0 }) command.Parameters.Add(new() { Value = append.Expected.Value });
            batch.BatchCommands.Add(command);
        }

        var versions = new long[appends.Count];
        await using var reader = await batch.ExecuteReaderAsync(ct);
        foreach (var i in order)
        {
            if (!await reader.ReadAsync(ct))
                throw new ConcurrencyException(appends[i].StreamId, appends[i].Expected);
            versions[i] = reader.GetInt64(0);
            await reader.NextResultAsync(ct);
        }
        return versions;
    }

    private static async Task WriteEventsAsync(NpgsqlConnection connection, IReadOnlyList<RawStreamAppend> appends,
        long[] newVersions, CancellationToken ct)
    {
        try
        {
            // A large append usually shares one metadata object across its events: serialise each distinct one once.
            var metadataJson = new Dictionary<EventMetadata, string>(ReferenceEqualityComparer.Instance);
            await using var importer = await connection.BeginBinaryImportAsync(
                "copy events (event_id, stream_id, stream_version, event_type, data, metadata) from stdin (format binary)", ct);
            for (var i = 0; i < appends.Count; i++)
            {
                var append = appends[i];
                var version = newVersions[i] - append.Events.Count;
                foreach (var e in append.Events)
                {
                    await importer.StartRowAsync(ct);
                    await importer.WriteAsync(e.EventId, NpgsqlDbType.Uuid, ct);
                    await importer.WriteAsync(append.StreamId, NpgsqlDbType.Text, ct);
                    await importer.WriteAsync(++version, NpgsqlDbType.Bigint, ct);
                    await importer.WriteAsync(e.EventType, NpgsqlDbType.Text, ct);
                    await importer.WriteAsync(e.Data, NpgsqlDbType.Json, ct);
                    if (!metadataJson.TryGetValue(e.Metadata, out var metadata))
                        metadataJson[e.Metadata] = metadata = JsonSerializer.Serialize(e.Metadata, MetadataJson);
                    await importer.WriteAsync(metadata, NpgsqlDbType.Json, ct);
                }
            }
            await importer.CompleteAsync(ct);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            throw new DuplicateEventException("An event with the same id is already stored.", e);
        }
    }

    public async Task<IReadOnlyList<RecordedEvent>> ReadStreamAsync(string streamId, long fromVersion = 1, CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var command = new NpgsqlCommand(
            $"{SelectEvents} where stream_id = $1 and stream_version >= $2 order by stream_version", connection)
        {
            Parameters = { new() { Value = streamId }, new() { Value = fromVersion } }
        };
        return await ReadEventsAsync(command, ct);
    }

    /// <summary>The stream's current version, or 0 when it does not exist.</summary>
    public async Task<long> GetStreamVersionAsync(string streamId, CancellationToken ct = default)
    {
        await using var command = dataSource.CreateCommand("select version from streams where stream_id = $1");
        command.Parameters.Add(new() { Value = streamId });
        return await command.ExecuteScalarAsync(ct) is long version ? version : 0;
    }

    /// <summary>
    /// Reads the whole log after <paramref name="after"/>, in commit-safe order. Only events of transactions older
    /// than every transaction still running are returned, so an event committed late with a lower global position
    /// is never skipped: its transaction id keeps it ahead of the cursor until it commits.
    /// </summary>
    public async Task<IReadOnlyList<RecordedEvent>> ReadAllAsync(LogPosition after, int maxCount, CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return await ReadAllAsync(connection, null, after, maxCount, ct);
    }

    public static async Task<IReadOnlyList<RecordedEvent>> ReadAllAsync(NpgsqlConnection connection, NpgsqlTransaction? tx,
        LogPosition after, int maxCount, CancellationToken ct = default)
    {
        await using var command = new NpgsqlCommand($"""
            {SelectEvents}
            where (tx_id, global_position) > ($1, $2) and tx_id < pg_snapshot_xmin(pg_current_snapshot())
            order by tx_id, global_position
            limit $3
            """, connection, tx)
        {
            Parameters =
            {
                new() { Value = after.TxId, NpgsqlDbType = NpgsqlDbType.Xid8 },
                new() { Value = after.GlobalPosition },
                new() { Value = maxCount },
            }
        };
        return await ReadEventsAsync(command, ct);
    }

    /// <summary>The events with these ids, in log order (e.g. to apply quarantined events again).</summary>
    public static async Task<IReadOnlyList<RecordedEvent>> ReadByIdsAsync(NpgsqlConnection connection, NpgsqlTransaction? tx,
        IReadOnlyList<Guid> eventIds, CancellationToken ct = default)
    {
        await using var command = new NpgsqlCommand($"{SelectEvents} where event_id = any($1) order by tx_id, global_position",
            connection, tx)
        {
            Parameters = { new() { Value = eventIds.ToArray() } }
        };
        return await ReadEventsAsync(command, ct);
    }

    private const string SelectEvents =
        "select event_id, stream_id, stream_version, event_type, data::text, metadata::text, recorded_at, tx_id, global_position from events";

    private static async Task<IReadOnlyList<RecordedEvent>> ReadEventsAsync(NpgsqlCommand command, CancellationToken ct)
    {
        var events = new List<RecordedEvent>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            events.Add(new RecordedEvent(
                reader.GetGuid(0),
                reader.GetString(1),
                reader.GetInt64(2),
                reader.GetString(3),
                reader.GetString(4),
                JsonSerializer.Deserialize<EventMetadata>(reader.GetString(5), MetadataJson) ?? EventMetadata.Empty,
                reader.GetFieldValue<DateTimeOffset>(6),
                new LogPosition(reader.GetFieldValue<ulong>(7), reader.GetInt64(8))));
        }
        return events;
    }
}

using System.Text.Json;
using Npgsql;
using NpgsqlTypes;

namespace Icp.EventStore;

/// <summary>An event received from another service, to be kept in this service's own store.</summary>
public sealed record ReceivedEvent(
    Guid EventId,
    string StreamId,
    long StreamVersion,
    string EventType,
    string Data,
    EventMetadata Metadata);

/// <summary>
/// The consumer side's inbox: received events are stored under their origin's stream id and version,
/// so a redelivered event (same id, or same stream and version) is stored once, and arrival order does not matter.
/// </summary>
public static class Inbox
{
    private static readonly JsonSerializerOptions MetadataJson = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>Stores the events not already stored; returns how many were new.</summary>
    public static Task<int> StoreAsync(NpgsqlDataSource dataSource, string streamType, IReadOnlyList<ReceivedEvent> events,
        CancellationToken ct = default) =>
        TransientRetry.Database.ExecuteAsync(async token =>
        {
            await using var connection = await dataSource.OpenConnectionAsync(token);
            await using var tx = await connection.BeginTransactionAsync(token);
            var stored = await StoreAsync(connection, tx, streamType, events, token);
            await tx.CommitAsync(token);
            return stored;
        }, ct).AsTask();

    public static async Task<int> StoreAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string streamType,
        IReadOnlyList<ReceivedEvent> events, CancellationToken ct = default)
    {
        if (events.Count == 0) return 0;
        var highest = events.GroupBy(e => e.StreamId, StringComparer.Ordinal)
            .Select(g => (StreamId: g.Key, Version: g.Max(e => e.StreamVersion)))
            .OrderBy(s => s.StreamId, StringComparer.Ordinal)
            .ToArray();
        await using var batch = new NpgsqlBatch(connection, tx)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand("""
                    insert into streams (stream_id, stream_type, version)
                    select s, $2, v from unnest($1::text[], $3::bigint[]) as t (s, v) order by s
                    on conflict (stream_id) do update set version = greatest(streams.version, excluded.version), updated_at = now()
                    """)
                {
                    Parameters =
                    {
                        new() { Value = highest.Select(s => s.StreamId).ToArray() },
                        new() { Value = streamType },
                        new() { Value = highest.Select(s => s.Version).ToArray() },
                    }
                },
                new NpgsqlBatchCommand("""
                    insert into events (event_id, stream_id, stream_version, event_type, data, metadata)
                    select * from unnest($1::uuid[], $2::text[], $3::bigint[], $4::text[], $5::json[], $6::json[])
                    on conflict do nothing
                    """)
                {
                    Parameters =
                    {
                        new() { Value = events.Select(e => e.EventId).ToArray() },
                        new() { Value = events.Select(e => e.StreamId).ToArray() },
                        new() { Value = events.Select(e => e.StreamVersion).ToArray() },
                        new() { Value = events.Select(e => e.EventType).ToArray() },
                        new() { Value = events.Select(e => e.Data).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Json },
                        new() { Value = events.Select(e => JsonSerializer.Serialize(e.Metadata, MetadataJson)).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Json },
                    }
                },
                new NpgsqlBatchCommand($"select pg_notify('{EventStoreSchema.AppendedChannel}', '')"),
            }
        };
        await batch.ExecuteNonQueryAsync(ct);
        return batch.BatchCommands[1].RecordsAffected;
    }
}

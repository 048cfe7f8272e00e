using System.Text.Json;
using Npgsql;

namespace Icp.EventStore;

/// <summary>
/// Marten's stored events read as their JSON bodies, for consumers that read a body against its contract themselves
/// (strictly, so that a body that does not match is set aside rather than half applied) and for the raw event feed.
/// </summary>
public static class StoredEvents
{
    // Marten fills the sequence numbers of a failed transaction with "tombstone" events of its own: not the platform's.
    private const string NotTombstone = "type <> 'tombstone'";

    private const string Columns = "seq_id, id, stream_id, version, type, data::text, headers::text, timestamp, correlation_id, causation_id, user_name";

    /// <summary>The events after <paramref name="after"/> up to and including <paramref name="until"/>, in sequence order.</summary>
    public static async Task<IReadOnlyList<RecordedEvent>> ReadRangeAsync(NpgsqlConnection connection, NpgsqlTransaction? tx,
        long after, long until, int limit, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            $"select {Columns} from mt_events where seq_id > $1 and seq_id <= $2 and {NotTombstone} order by seq_id limit $3", connection, tx)
        {
            Parameters = { new() { Value = after }, new() { Value = until }, new() { Value = limit } },
        };
        return await ReadAsync(command, ct);
    }

    public static async Task<IReadOnlyList<RecordedEvent>> ReadRangeAsync(NpgsqlDataSource dataSource, long after, long until, int limit,
        CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return await ReadRangeAsync(connection, null, after, until, limit, ct);
    }

    public static async Task<IReadOnlyList<RecordedEvent>> ReadByIdsAsync(NpgsqlConnection connection, NpgsqlTransaction? tx,
        IReadOnlyCollection<Guid> ids, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand($"select {Columns} from mt_events where id = any($1) and {NotTombstone} order by seq_id", connection, tx)
        {
            Parameters = { new() { Value = ids.ToArray() } },
        };
        return await ReadAsync(command, ct);
    }

    /// <summary>
    /// The highest sequence below which every event is committed (Marten's high-water mark, which waits for transactions
    /// still in flight), so that a reader that stops there never skips an event committed late.
    /// </summary>
    public static async Task<long> HighWaterMarkAsync(NpgsqlDataSource dataSource, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(
            "select coalesce((select last_seq_id from mt_event_progression where name = 'HighWaterMark'), 0)");
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }

    private static async Task<IReadOnlyList<RecordedEvent>> ReadAsync(NpgsqlCommand command, CancellationToken ct)
    {
        var events = new List<RecordedEvent>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            string? Text(int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
            var headers = Text(6) is { } json ? JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(json) : null;
            events.Add(new RecordedEvent(reader.GetGuid(1), Text(2) ?? "", reader.GetInt64(3), reader.GetString(4), reader.GetString(5),
                EventLog.MetadataOf(headers, Text(8), Text(9), Text(10)), reader.GetFieldValue<DateTimeOffset>(7), reader.GetInt64(0)));
        }
        return events;
    }
}

using Npgsql;
using NpgsqlTypes;

namespace Icp.EventStore;

/// <summary>Something a consumer of the log could not handle, set aside so that everything after it goes on.</summary>
/// <param name="Consumer">Who set it aside: a read model's name, "contracts" for an event of an unknown type, …</param>
/// <param name="ItemId">What was set aside: the event id, or the consumer's own key for work that is not one event.</param>
public sealed record QuarantineEntry(
    string Consumer,
    string ItemId,
    Guid? EventId,
    string? EventType,
    string? StreamId,
    long? Sequence,
    string Error,
    int Attempts,
    DateTimeOffset QuarantinedAt,
    DateTimeOffset LastAttemptAt);

/// <summary>
/// The quarantine table beside a consumer's store (the projection service's). An entry is added (or, when the same item fails again, its error and
/// attempt count updated) in the transaction that would have applied the item, so it is never lost and never doubled.
/// </summary>
public static class Quarantine
{
    public const string Ddl = """
        create table if not exists quarantine (
            consumer        text not null,
            item_id         text not null,
            event_id        uuid,
            event_type      text,
            stream_id       text,
            sequence        bigint,
            -- The body of a received event the store refused (so it has no sequence), kept to be tried again.
            data            text,
            error           text not null,
            attempts        int not null default 1,
            quarantined_at  timestamptz not null default now(),
            last_attempt_at timestamptz not null default now(),
            primary key (consumer, item_id)
        );
        """;

    /// <summary>The longest error kept: enough for the exception's kind and message, never a whole payload.</summary>
    public const int MaxErrorLength = 1000;

    public static Task AddAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, string consumer, RecordedEvent e, Exception error,
        CancellationToken ct) =>
        AddAsync(connection, tx, consumer, e.EventId.ToString(), e, Describe(error), ct);

    public static async Task AddAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, string consumer, string itemId,
        RecordedEvent? e, string error, CancellationToken ct, string? kept = null)
    {
        await using var command = new NpgsqlCommand("""
            insert into quarantine (consumer, item_id, event_id, event_type, stream_id, sequence, data, error)
            values ($1, $2, $3, $4, $5, $6, $7, $8)
            on conflict (consumer, item_id) do update set error = excluded.error, attempts = quarantine.attempts + 1,
                last_attempt_at = now()
            """, connection, tx)
        {
            Parameters =
            {
                new() { Value = consumer },
                new() { Value = itemId },
                new() { Value = (object?)e?.EventId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Uuid },
                new() { Value = (object?)e?.EventType ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text },
                new() { Value = (object?)e?.StreamId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text },
                new() { Value = e is { Sequence: > 0 } ? (object)e.Sequence : DBNull.Value, NpgsqlDbType = NpgsqlDbType.Bigint },
                new() { Value = (object?)kept ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text },
                new() { Value = Clean(error) },
            }
        };
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>The entries, oldest event first; optionally only one consumer's, or one item.</summary>
    public static async Task<IReadOnlyList<QuarantineEntry>> ListAsync(NpgsqlConnection connection, NpgsqlTransaction? tx,
        string? consumer, string? itemId, int limit, CancellationToken ct, bool forUpdate = false)
    {
        await using var command = new NpgsqlCommand($"""
            select consumer, item_id, event_id, event_type, stream_id, sequence, error, attempts, quarantined_at, last_attempt_at
            from quarantine where ($1::text is null or consumer = $1) and ($2::text is null or item_id = $2)
            order by sequence nulls last, quarantined_at, consumer, item_id limit $3 {(forUpdate ? "for update" : "")}
            """, connection, tx)
        {
            Parameters =
            {
                new() { Value = (object?)consumer ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text },
                new() { Value = (object?)itemId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text },
                new() { Value = limit },
            }
        };
        var entries = new List<QuarantineEntry>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            entries.Add(new QuarantineEntry(reader.GetString(0), reader.GetString(1),
                reader.IsDBNull(2) ? null : reader.GetGuid(2), reader.IsDBNull(3) ? null : reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetString(4), reader.IsDBNull(5) ? null : reader.GetInt64(5),
                reader.GetString(6), reader.GetInt32(7), reader.GetFieldValue<DateTimeOffset>(8), reader.GetFieldValue<DateTimeOffset>(9)));
        }
        return entries;
    }

    public static async Task<IReadOnlyList<QuarantineEntry>> ListAsync(NpgsqlDataSource dataSource, string? consumer, string? itemId,
        int limit, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return await ListAsync(connection, null, consumer, itemId, limit, ct);
    }

    /// <summary>What was kept of the items set aside (see <c>kept</c> of <see cref="AddAsync(NpgsqlConnection, NpgsqlTransaction?, string, string, RecordedEvent?, string, CancellationToken, string?)"/>), by item id.</summary>
    public static async Task<IReadOnlyDictionary<string, string>> KeptAsync(NpgsqlConnection connection, NpgsqlTransaction? tx,
        string consumer, IReadOnlyCollection<string> itemIds, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            "select item_id, data from quarantine where consumer = $1 and item_id = any($2) and data is not null", connection, tx)
        {
            Parameters = { new() { Value = consumer }, new() { Value = itemIds.ToArray() } },
        };
        var kept = new Dictionary<string, string>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) kept[reader.GetString(0)] = reader.GetString(1);
        return kept;
    }

    /// <summary>How many entries each consumer has.</summary>
    public static async Task<IReadOnlyDictionary<string, long>> CountAsync(NpgsqlDataSource dataSource, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("select consumer, count(*) from quarantine group by consumer order by consumer");
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) counts[reader.GetString(0)] = reader.GetInt64(1);
        return counts;
    }

    public static async Task RemoveAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, string consumer, string itemId, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("delete from quarantine where consumer = $1 and item_id = $2", connection, tx)
        {
            Parameters = { new() { Value = consumer }, new() { Value = itemId } }
        };
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>One line for the operator: the exception's kind (and PostgreSQL's error code) and its message.</summary>
    public static string Describe(Exception error)
    {
        var inner = error is AggregateException { InnerExceptions.Count: 1 } aggregate ? aggregate.InnerExceptions[0] : error;
        // A wrapper (Marten's command exception, say) says less than the database error it carries.
        for (var e = inner; e is not null; e = e.InnerException)
            if (e is PostgresException pg) return $"PostgreSQL {pg.SqlState}: {pg.Message}";
        return $"{inner.GetType().Name}: {inner.Message}";
    }

    // PostgreSQL text cannot hold NUL, and an error message can quote the bad input.
    private static string Clean(string error)
    {
        var cleaned = new string(error.Select(c => char.IsControl(c) ? ' ' : c).ToArray());
        return cleaned.Length <= MaxErrorLength ? cleaned : cleaned[..MaxErrorLength];
    }
}

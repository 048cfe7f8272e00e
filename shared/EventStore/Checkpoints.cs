using Npgsql;
using NpgsqlTypes;

namespace Icp.EventStore;

/// <summary>Named read positions (the relay's, each projection's), stored beside the events.</summary>
public static class Checkpoints
{
    public static async Task<LogPosition> LoadAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, string name, CancellationToken ct = default)
    {
        await using var command = new NpgsqlCommand("select tx_id, global_position from checkpoints where name = $1", connection, tx)
        {
            Parameters = { new() { Value = name } }
        };
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct)
            ? new LogPosition(reader.GetFieldValue<ulong>(0), reader.GetInt64(1))
            : LogPosition.Start;
    }

    public static async Task<LogPosition> LoadAsync(NpgsqlDataSource dataSource, string name, CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return await LoadAsync(connection, null, name, ct);
    }

    /// <summary>Saves a checkpoint inside the caller's transaction, so it advances with the work it records.</summary>
    public static async Task SaveAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, string name, LogPosition position, CancellationToken ct = default)
    {
        await using var command = new NpgsqlCommand("""
            insert into checkpoints (name, tx_id, global_position) values ($1, $2, $3)
            on conflict (name) do update set tx_id = excluded.tx_id, global_position = excluded.global_position, updated_at = now()
            """, connection, tx)
        {
            Parameters =
            {
                new() { Value = name },
                new() { Value = position.TxId, NpgsqlDbType = NpgsqlDbType.Xid8 },
                new() { Value = position.GlobalPosition },
            }
        };
        await command.ExecuteNonQueryAsync(ct);
    }

    public static async Task SaveAsync(NpgsqlDataSource dataSource, string name, LogPosition position, CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await SaveAsync(connection, null, name, position, ct);
    }
}

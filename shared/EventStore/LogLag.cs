using Npgsql;
using NpgsqlTypes;

namespace Icp.EventStore;

/// <summary>How far a reader of the log (the relay, the read models) is behind: events after its checkpoint, and how
/// long the oldest of them has waited (by the database's clock, which stamped them).</summary>
public readonly record struct Lag(long EventsBehind, double SecondsBehind, LogPosition Position);

public static class LogLag
{
    // Counting stops here: beyond it the exact number does not change what an operator does.
    public const int CountLimit = 1_000_000;

    public static async Task<Lag> MeasureAsync(NpgsqlDataSource dataSource, string checkpointName, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var position = await Checkpoints.LoadAsync(connection, null, checkpointName, ct);
        await using var command = new NpgsqlCommand("""
            select count(*), coalesce(extract(epoch from now() - min(recorded_at)), 0)::float8 from (
                select recorded_at from events where (tx_id, global_position) > ($1, $2)
                order by tx_id, global_position limit $3) pending
            """, connection)
        {
            Parameters =
            {
                new() { Value = position.TxId, NpgsqlDbType = NpgsqlDbType.Xid8 },
                new() { Value = position.GlobalPosition },
                new() { Value = CountLimit },
            }
        };
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return new Lag(reader.GetInt64(0), Math.Round(Math.Max(0, reader.GetDouble(1)), 1), position);
    }
}

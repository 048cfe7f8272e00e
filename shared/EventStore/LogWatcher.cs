using Npgsql;

namespace Icp.EventStore;

/// <summary>
/// Wakes a log reader soon after an append commits (PostgreSQL LISTEN/NOTIFY), with polling as the fallback
/// so that a lost notification or a dropped connection only delays, never stalls, the reader.
/// </summary>
public sealed class LogWatcher(NpgsqlDataSource dataSource) : IAsyncDisposable
{
    private NpgsqlConnection? _connection;

    /// <summary>Returns when an append was notified or <paramref name="pollInterval"/> passed.</summary>
    public async Task WaitAsync(TimeSpan pollInterval, CancellationToken ct)
    {
        try
        {
            if (_connection is null)
            {
                _connection = await dataSource.OpenConnectionAsync(ct);
                await using var listen = new NpgsqlCommand($"listen {EventStoreSchema.AppendedChannel}", _connection);
                await listen.ExecuteNonQueryAsync(ct);
                return; // read once more: something may have been appended before we listened
            }
            await _connection.WaitAsync(pollInterval, ct);
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException or TimeoutException)
        {
            await DisposeAsync();
            await Task.Delay(pollInterval, ct);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection is not null) await _connection.DisposeAsync();
        _connection = null;
    }
}

using Icp.EventStore;
using Icp.Hosting;
using Npgsql;

namespace Icp.Projections;

/// <summary>Applies events from the projection store to read models, inside the caller's transaction.</summary>
public interface IReadModelProjection
{
    /// <summary>The read model's tables, emptied before a rebuild.</summary>
    IReadOnlyList<string> Tables { get; }

    Task ApplyAsync(NpgsqlConnection connection, NpgsqlTransaction tx, IReadOnlyList<RecordedEvent> events, CancellationToken ct);
}

/// <summary>
/// Keeps every read model current by reading this service's own event store (the inbox) in gap-safe log order.
/// Each batch is applied and the checkpoint advanced in one transaction, so a crash never applies a batch twice.
/// A rebuild empties the read models and resets the checkpoint in one transaction; the runner then replays the store.
/// </summary>
public sealed partial class ProjectionRunner(PostgresEventStore store, IEnumerable<IReadModelProjection> projections,
    ILogger<ProjectionRunner> logger) : BackgroundService
{
    public const string CheckpointName = "read-models";
    private const int BatchSize = 2000;
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);

    private readonly IReadModelProjection[] _projections = projections.ToArray();

    /// <summary>The position of the newest event applied to the read models (for freshness checks and the live feed).</summary>
    public LogPosition Position { get; private set; }

    public event Action<IReadOnlyList<RecordedEvent>>? Applied;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await using var watcher = new LogWatcher(store.DataSource);
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var applied = await ApplyNextBatchAsync(stoppingToken);
                if (applied == 0) await watcher.WaitAsync(PollInterval, stoppingToken);
                failures = 0;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                failures++;
                LogProjectionFailed(e, failures);
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(10_000, 200 * Math.Pow(2, Math.Min(failures, 6)))), stoppingToken);
            }
        }
    }

    private async Task<int> ApplyNextBatchAsync(CancellationToken ct)
    {
        await using var connection = await store.DataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        // Serialises with rebuilds, so that a batch never lands in a read model a rebuild has just emptied.
        await using (var lockCommand = new NpgsqlCommand("select pg_advisory_xact_lock(hashtext('icp-read-models'))", connection, tx))
            await lockCommand.ExecuteNonQueryAsync(ct);
        var position = await Checkpoints.LoadAsync(connection, tx, CheckpointName, ct);
        var events = await PostgresEventStore.ReadAllAsync(connection, tx, position, BatchSize, ct);
        if (events.Count == 0)
        {
            Position = position;
            return 0;
        }
        foreach (var projection in _projections) await projection.ApplyAsync(connection, tx, events, ct);
        await Checkpoints.SaveAsync(connection, tx, CheckpointName, events[^1].Position, ct);
        await tx.CommitAsync(ct);
        Position = events[^1].Position;
        Applied?.Invoke(events);
        return events.Count;
    }

    /// <summary>Empties every read model and rewinds the checkpoint; the runner replays the whole store after.</summary>
    public async Task RequestRebuildAsync(CancellationToken ct)
    {
        await using var connection = await store.DataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await using (var lockCommand = new NpgsqlCommand("select pg_advisory_xact_lock(hashtext('icp-read-models'))", connection, tx))
            await lockCommand.ExecuteNonQueryAsync(ct);
        var tables = string.Join(", ", _projections.SelectMany(p => p.Tables));
        await using (var truncate = new NpgsqlCommand($"truncate {tables}", connection, tx))
            await truncate.ExecuteNonQueryAsync(ct);
        await Checkpoints.SaveAsync(connection, tx, CheckpointName, LogPosition.Start, ct);
        await using (var notify = new NpgsqlCommand($"select pg_notify('{EventStoreSchema.AppendedChannel}', '')", connection, tx))
            await notify.ExecuteNonQueryAsync(ct);
        await tx.CommitAsync(ct);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Projection batch failed ({Failures} in a row); retrying")]
    private partial void LogProjectionFailed(Exception e, int failures);
}

using Icp.EventStore;
using Icp.Hosting;
using Icp.Hosting.Messaging;
using Npgsql;

namespace Icp.Projections;

/// <summary>Applies events from the projection store to read models, inside the caller's transaction.</summary>
public interface IReadModelProjection
{
    /// <summary>The read model's name, as the quarantine and the health report show it.</summary>
    string Name { get; }

    /// <summary>The read model's tables, emptied before a rebuild.</summary>
    IReadOnlyList<string> Tables { get; }

    Task ApplyAsync(NpgsqlConnection connection, NpgsqlTransaction tx, IReadOnlyList<RecordedEvent> events, CancellationToken ct);
}

/// <summary>What a retry of quarantined events did.</summary>
public sealed record QuarantineRetry(int Retried, int Applied, IReadOnlyList<QuarantineEntry> StillQuarantined);

/// <summary>
/// Keeps every read model current by reading this service's own event store (the inbox) in gap-safe log order.
/// Each batch is applied and the checkpoint advanced in one transaction, so a crash never applies a batch twice.
/// An event a read model cannot apply is set aside in the quarantine, in that same transaction, and the rest of the
/// batch and every later event go on: each read model applies under a savepoint of its own, and a failing batch is
/// halved until the failing events are found. Only failures of the database itself (connection lost, server
/// shutting down) stop the batch, to be tried again. A rebuild empties the read models and their quarantine and
/// resets the checkpoint in one transaction; the runner then replays the store.
/// </summary>
public sealed partial class ProjectionRunner(PostgresEventStore store, IEnumerable<IReadModelProjection> projections,
    ILogger<ProjectionRunner> logger) : BackgroundService
{
    public const string CheckpointName = "read-models";

    /// <summary>The quarantine's name for events of a type no contract names (nothing can apply them yet).</summary>
    public const string UnknownTypeConsumer = "contracts";

    private const int BatchSize = 2000;
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);

    private static readonly System.Diagnostics.Metrics.Counter<long> QuarantinedCounter = Telemetry.Meter.CreateCounter<long>(
        "icp.projections.quarantined", description: "Events set aside because a read model could not apply them");

    private readonly IReadModelProjection[] _projections = projections.ToArray();

    /// <summary>The position of the newest event applied to the read models (for freshness checks and the live feed).</summary>
    public LogPosition Position { get; private set; }

    /// <summary>Batches that failed in a row for a transient reason, and the last such failure (for the health report).</summary>
    public int ConsecutiveFailures { get; private set; }

    public string? LastFailure { get; private set; }

    public IReadOnlyList<string> ReadModelNames => _projections.Select(p => p.Name).ToArray();

    public event Action<IReadOnlyList<RecordedEvent>>? Applied;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await using var watcher = new LogWatcher(store.DataSource);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var applied = await ApplyNextBatchAsync(stoppingToken);
                ConsecutiveFailures = 0;
                LastFailure = null;
                if (applied == 0) await watcher.WaitAsync(PollInterval, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                ConsecutiveFailures++;
                LastFailure = Quarantine.Describe(e);
                LogProjectionFailed(e, ConsecutiveFailures);
                var delay = Math.Min(10_000, 200 * Math.Pow(2, Math.Min(ConsecutiveFailures, 6)));
                await Task.Delay(TimeSpan.FromMilliseconds(delay), stoppingToken);
            }
        }
    }

    private async Task<int> ApplyNextBatchAsync(CancellationToken ct)
    {
        await using var connection = await store.DataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await LockReadModelsAsync(connection, tx, ct);
        var position = await Checkpoints.LoadAsync(connection, tx, CheckpointName, ct);
        var events = await PostgresEventStore.ReadAllAsync(connection, tx, position, BatchSize, ct);
        if (events.Count == 0)
        {
            Position = position;
            return 0;
        }
        var known = await SetAsideUnknownTypesAsync(connection, tx, events, ct);
        foreach (var projection in _projections) await ApplyIsolatedAsync(projection, connection, tx, known, ct);
        await Checkpoints.SaveAsync(connection, tx, CheckpointName, events[^1].Position, ct);
        await tx.CommitAsync(ct);
        Position = events[^1].Position;
        Applied?.Invoke(known);
        return events.Count;
    }

    private static async Task<List<RecordedEvent>> SetAsideUnknownTypesAsync(NpgsqlConnection connection, NpgsqlTransaction tx,
        IReadOnlyList<RecordedEvent> events, CancellationToken ct)
    {
        var known = new List<RecordedEvent>(events.Count);
        foreach (var e in events)
        {
            if (IntegrationEvents.TryGetType(e.EventType, out _))
            {
                known.Add(e);
                continue;
            }
            await Quarantine.AddAsync(connection, tx, UnknownTypeConsumer, e.EventId.ToString(), e,
                $"No integration event contract is named '{Truncate(e.EventType)}'.", ct);
            QuarantinedCounter.Add(1, new KeyValuePair<string, object?>("read_model", UnknownTypeConsumer));
        }
        return known;
    }

    /// <summary>
    /// Applies the events to one read model under a savepoint. When that fails for a reason in the data, the savepoint
    /// is rolled back and each half is applied on its own, down to the single events that fail, which are quarantined.
    /// Returns whether every event was applied.
    /// </summary>
    private async Task<bool> ApplyIsolatedAsync(IReadModelProjection projection, NpgsqlConnection connection, NpgsqlTransaction tx,
        IReadOnlyList<RecordedEvent> events, CancellationToken ct)
    {
        if (events.Count == 0) return true;
        const string savepoint = "read_model";
        await tx.SaveAsync(savepoint, ct);
        try
        {
            await projection.ApplyAsync(connection, tx, events, ct);
            await tx.ReleaseAsync(savepoint, ct);
            return true;
        }
        catch (Exception e) when (!ct.IsCancellationRequested && !Failures.IsTransient(e, connection))
        {
            await tx.RollbackAsync(savepoint, ct);
            await tx.ReleaseAsync(savepoint, ct);
            if (events.Count == 1)
            {
                LogQuarantined(e, events[0].EventId, events[0].EventType, projection.Name);
                await Quarantine.AddAsync(connection, tx, projection.Name, events[0], e, ct);
                QuarantinedCounter.Add(1, new KeyValuePair<string, object?>("read_model", projection.Name));
                return false;
            }
        }
        var half = events.Count / 2;
        var first = await ApplyIsolatedAsync(projection, connection, tx, events.Take(half).ToList(), ct);
        return await ApplyIsolatedAsync(projection, connection, tx, events.Skip(half).ToList(), ct) && first;
    }

    /// <summary>
    /// Applies quarantined events again (after a fix), oldest first: those that now apply leave the quarantine, the
    /// others stay with their new error and one more attempt counted. Read models are built so that a late event gives
    /// the state an on-time one would have (every row keeps the origin version it reflects), so applying now is as good
    /// as applying then. Work set aside by a read model's helper (not an event of the log) is handed back to it.
    /// </summary>
    public async Task<QuarantineRetry> RetryQuarantinedAsync(string? readModel, string? itemId, CancellationToken ct)
    {
        const int limit = 10_000;
        List<RecordedEvent> appliedEvents = [];
        IReadOnlyList<QuarantineEntry> entries;
        await using (var connection = await store.DataSource.OpenConnectionAsync(ct))
        await using (var tx = await connection.BeginTransactionAsync(ct))
        {
            await LockReadModelsAsync(connection, tx, ct);
            entries = await Quarantine.ListAsync(connection, tx, readModel, itemId, limit, ct, forUpdate: true);
            var ids = entries.Where(e => e.EventId is not null).Select(e => e.EventId!.Value).Distinct().ToArray();
            var events = (await PostgresEventStore.ReadByIdsAsync(connection, tx, ids, ct)).ToDictionary(e => e.EventId);
            foreach (var entry in entries)
            {
                var isEvent = entry.EventId is { } id && events.ContainsKey(id);
                if (!isEvent || entry.Consumer == UnknownTypeConsumer)
                {
                    if (isEvent && !IntegrationEvents.TryGetType(entry.EventType ?? "", out _))
                    {
                        await SetAsideUnknownTypesAsync(connection, tx, [events[entry.EventId!.Value]], ct);
                        continue;
                    }
                    await Quarantine.RemoveAsync(connection, tx, entry.Consumer, entry.ItemId, ct);
                    if (!isEvent) continue;
                }
                var e = events[entry.EventId!.Value];
                var targets = entry.Consumer == UnknownTypeConsumer ? _projections : _projections.Where(p => p.Name == entry.Consumer);
                var allApplied = true;
                foreach (var projection in targets) allApplied &= await ApplyIsolatedAsync(projection, connection, tx, [e], ct);
                if (allApplied && entry.Consumer != UnknownTypeConsumer) await Quarantine.RemoveAsync(connection, tx, entry.Consumer, entry.ItemId, ct);
                appliedEvents.Add(e);
            }
            await tx.CommitAsync(ct);
        }
        var still = await Quarantine.ListAsync(store.DataSource, readModel, itemId, limit, ct);
        var stillKeys = still.Select(s => (s.Consumer, s.ItemId)).ToHashSet();
        if (appliedEvents.Count > 0) Applied?.Invoke(appliedEvents);
        if (entries.Any(e => e.EventId is null)) Requeued?.Invoke();
        return new QuarantineRetry(entries.Count, entries.Count(e => !stillKeys.Contains((e.Consumer, e.ItemId))), still);
    }

    /// <summary>Raised when a retry handed quarantined work back to the helpers that set it aside.</summary>
    public event Action? Requeued;

    /// <summary>Empties every read model and the quarantine and rewinds the checkpoint; the runner replays the whole store after.</summary>
    public async Task RequestRebuildAsync(CancellationToken ct)
    {
        await using var connection = await store.DataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await LockReadModelsAsync(connection, tx, ct);
        var tables = string.Join(", ", _projections.SelectMany(p => p.Tables).Append("quarantine"));
        await using (var truncate = new NpgsqlCommand($"truncate {tables}", connection, tx))
            await truncate.ExecuteNonQueryAsync(ct);
        await Checkpoints.SaveAsync(connection, tx, CheckpointName, LogPosition.Start, ct);
        await using (var notify = new NpgsqlCommand($"select pg_notify('{EventStoreSchema.AppendedChannel}', '')", connection, tx))
            await notify.ExecuteNonQueryAsync(ct);
        await tx.CommitAsync(ct);
    }

    // Serialises batches, retries and rebuilds, so that a batch never lands in a read model a rebuild has just emptied.
    private static async Task LockReadModelsAsync(NpgsqlConnection connection, NpgsqlTransaction tx, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("select pg_advisory_xact_lock(hashtext('icp-read-models'))", connection, tx);
        await command.ExecuteNonQueryAsync(ct);
    }

    private static string Truncate(string text) => text.Length <= 100 ? text : text[..100] + "…";

    [LoggerMessage(Level = LogLevel.Warning, Message = "Projection batch failed ({Failures} in a row); retrying")]
    private partial void LogProjectionFailed(Exception e, int failures);

    [LoggerMessage(Level = LogLevel.Error, Message = "Event {EventId} ({EventType}) quarantined: read model {ReadModel} cannot apply it")]
    private partial void LogQuarantined(Exception e, Guid eventId, string eventType, string readModel);
}

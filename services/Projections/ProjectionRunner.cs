using Icp.EventStore;
using Icp.Hosting;
using Icp.Hosting.Messaging;
using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Marten;
using Marten.Subscriptions;
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
/// Keeps every read model current from this service's own Marten store: a subscription run by Marten's async daemon
/// (HotCold, so one instance is active per store and another takes over when it stops). The daemon hands over pages
/// in sequence order up to its high-water mark, which waits for transactions still in flight, so an event committed
/// late is never skipped. Each page is read back as the stored JSON (bodies are read strictly against their
/// contracts), applied in one transaction, and only then does Marten record the progress: a crash in between applies
/// the page again, which the read models are built to absorb (every row keeps the origin version it reflects).
/// An event a read model cannot apply is set aside in the quarantine, in that same transaction, and the rest of the
/// page and every later event go on: each read model applies under a savepoint of its own, and a failing page is
/// halved until the failing events are found. Failures of the database itself (connection lost, server shutting
/// down) set nothing aside: the page is tried again until it applies.
/// </summary>
public sealed partial class ProjectionRunner : SubscriptionBase
{
    public const string SubscriptionName = "read-models";

    /// <summary>The quarantine's name for events of a type no contract names (nothing can apply them yet).</summary>
    public const string UnknownTypeConsumer = "contracts";

    private static readonly System.Diagnostics.Metrics.Counter<long> QuarantinedCounter = Telemetry.Meter.CreateCounter<long>(
        "icp.projections.quarantined", description: "Events set aside because a read model could not apply them");

    private readonly NpgsqlDataSource _dataSource;
    private readonly IReadModelProjection[] _projections;
    private readonly ILogger<ProjectionRunner> _logger;

    public ProjectionRunner(NpgsqlDataSource dataSource, IEnumerable<IReadModelProjection> projections, ILogger<ProjectionRunner> logger)
    {
        (_dataSource, _projections, _logger) = (dataSource, projections.ToArray(), logger);
        Name = SubscriptionName;
        // Marten's default page (500 events) held the daemon to ~4–5k events/s here; a feed of 50,000 rows is 500 events.
        Options.BatchSize = 2000;
    }

    private long _position;

    /// <summary>The sequence of the newest event applied to the read models by this process (0 before its first page).</summary>
    public long Position => Interlocked.Read(ref _position);

    /// <summary>Pages that failed in a row for a transient reason, and the last such failure (for the health report).</summary>
    public int ConsecutiveFailures { get; private set; }

    public string? LastFailure { get; private set; }

    public IReadOnlyList<string> ReadModelNames => _projections.Select(p => p.Name).ToArray();

    public event Action<IReadOnlyList<RecordedEvent>>? Applied;

    public override async Task<IChangeListener> ProcessEventsAsync(EventRange page, ISubscriptionController controller,
        IDocumentOperations operations, CancellationToken ct)
    {
        for (var failures = 1; ; failures++)
        {
            try
            {
                await ApplyAsync(page.SequenceFloor, page.SequenceCeiling, ct);
                ConsecutiveFailures = 0;
                LastFailure = null;
                return NullChangeListener.Instance;
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                ConsecutiveFailures = failures;
                LastFailure = Quarantine.Describe(e);
                LogProjectionFailed(e, failures);
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(10_000, 200 * Math.Pow(2, Math.Min(failures, 6)))), ct);
            }
        }
    }

    private async Task ApplyAsync(long after, long until, CancellationToken ct)
    {
        List<RecordedEvent> known;
        await using (var connection = await _dataSource.OpenConnectionAsync(ct))
        await using (var tx = await connection.BeginTransactionAsync(ct))
        {
            await LockReadModelsAsync(connection, tx, ct);
            var events = await StoredEvents.ReadRangeAsync(connection, tx, after, until, int.MaxValue, ct);
            known = await SetAsideUnknownTypesAsync(connection, tx, events, ct);
            foreach (var projection in _projections) await ApplyIsolatedAsync(projection, connection, tx, known, ct);
            await tx.CommitAsync(ct);
        }
        Interlocked.Exchange(ref _position, until);
        if (known.Count > 0) Applied?.Invoke(known);
    }

    /// <summary>How far the read models are current: this process's newest page, or the progress Marten recorded.</summary>
    public async Task<long> CurrentPositionAsync(CancellationToken ct)
    {
        await using var command = _dataSource.CreateCommand(
            "select coalesce(max(last_seq_id), 0) from mt_event_progression where name like $1 || ':%'");
        command.Parameters.Add(new() { Value = SubscriptionName });
        return Math.Max(Position, (long)(await command.ExecuteScalarAsync(ct))!);
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
    /// as applying then. Received events the store refused are offered to the store again (and, once stored, reach the
    /// read models through the daemon); work set aside by a read model's helper (not an event) is handed back to it.
    /// </summary>
    public async Task<QuarantineRetry> RetryQuarantinedAsync(string? readModel, string? itemId, Inbox inbox, CancellationToken ct)
    {
        const int limit = 10_000;
        List<RecordedEvent> appliedEvents = [];
        IReadOnlyList<QuarantineEntry> entries;
        await using (var connection = await _dataSource.OpenConnectionAsync(ct))
        await using (var tx = await connection.BeginTransactionAsync(ct))
        {
            await LockReadModelsAsync(connection, tx, ct);
            entries = await Quarantine.ListAsync(connection, tx, readModel, itemId, limit, ct, forUpdate: true);
            var ids = entries.Where(e => e.EventId is not null && e.Consumer != Inbox.ConsumerName).Select(e => e.EventId!.Value).Distinct().ToArray();
            var events = (await StoredEvents.ReadByIdsAsync(connection, tx, ids, ct)).ToDictionary(e => e.EventId);
            foreach (var entry in entries.Where(e => e.Consumer != Inbox.ConsumerName))
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
        var refused = entries.Where(e => e.Consumer == Inbox.ConsumerName).Select(e => e.ItemId).ToList();
        if (refused.Count > 0) await inbox.RetryAsync(refused, ct);
        var still = await Quarantine.ListAsync(_dataSource, readModel, itemId, limit, ct);
        var stillKeys = still.Select(s => (s.Consumer, s.ItemId)).ToHashSet();
        if (appliedEvents.Count > 0) Applied?.Invoke(appliedEvents);
        if (entries.Any(e => e.EventId is null)) Requeued?.Invoke();
        return new QuarantineRetry(entries.Count, entries.Count(e => !stillKeys.Contains((e.Consumer, e.ItemId))), still);
    }

    /// <summary>Raised when a retry handed quarantined work back to the helpers that set it aside.</summary>
    public event Action? Requeued;

    /// <summary>
    /// Empties every read model and what they set aside, then has Marten's daemon rewind the subscription to the start
    /// of the store, so that every event is applied again. (Received events the store refused stay quarantined: they
    /// are not in the store to be replayed.)
    /// </summary>
    public async Task RequestRebuildAsync(Marten.Events.Daemon.Coordination.IProjectionCoordinator coordinator, CancellationToken ct)
    {
        await using (var connection = await _dataSource.OpenConnectionAsync(ct))
        await using (var tx = await connection.BeginTransactionAsync(ct))
        {
            await LockReadModelsAsync(connection, tx, ct);
            var tables = string.Join(", ", _projections.SelectMany(p => p.Tables));
            await using (var truncate = new NpgsqlCommand($"truncate {tables}", connection, tx))
                await truncate.ExecuteNonQueryAsync(ct);
            await using (var clear = new NpgsqlCommand("delete from quarantine where consumer <> $1", connection, tx)
            {
                Parameters = { new() { Value = Inbox.ConsumerName } },
            })
                await clear.ExecuteNonQueryAsync(ct);
            await tx.CommitAsync(ct);
        }
        Interlocked.Exchange(ref _position, 0);
        await coordinator.DaemonForMainDatabase().RewindSubscriptionAsync(SubscriptionName, ct, sequenceFloor: 0);
    }

    // Serialises batches, retries and rebuilds, so that a batch never lands in a read model a rebuild has just emptied.
    private static async Task LockReadModelsAsync(NpgsqlConnection connection, NpgsqlTransaction tx, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("select pg_advisory_xact_lock(hashtext('icp-read-models'))", connection, tx);
        await command.ExecuteNonQueryAsync(ct);
    }

    private static string Truncate(string text) => text.Length <= 100 ? text : text[..100] + "…";

    [LoggerMessage(Level = LogLevel.Warning, Message = "Projection page failed ({Failures} in a row); retrying")]
    private partial void LogProjectionFailed(Exception e, int failures);

    [LoggerMessage(Level = LogLevel.Error, Message = "Event {EventId} ({EventType}) quarantined: read model {ReadModel} cannot apply it")]
    private partial void LogQuarantined(Exception e, Guid eventId, string eventType, string readModel);
}

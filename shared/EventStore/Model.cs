using System.Text.Json.Serialization;

namespace Icp.EventStore;

/// <summary>
/// A position in the whole log: the writing transaction's id, then the global position.
/// Ordering by both makes reading gap-safe (see <see cref="PostgresEventStore.ReadAllAsync"/>).
/// </summary>
public readonly record struct LogPosition(ulong TxId, long GlobalPosition) : IComparable<LogPosition>
{
    public static readonly LogPosition Start = new(0, 0);

    public int CompareTo(LogPosition other) =>
        TxId != other.TxId ? TxId.CompareTo(other.TxId) : GlobalPosition.CompareTo(other.GlobalPosition);

    public override string ToString() => $"{TxId}:{GlobalPosition}";

    public static bool TryParse(string? text, out LogPosition position)
    {
        position = Start;
        var parts = text?.Split(':');
        if (parts is not { Length: 2 } || !ulong.TryParse(parts[0], out var tx) || !long.TryParse(parts[1], out var pos))
            return false;
        position = new LogPosition(tx, pos);
        return true;
    }
}

/// <summary>What the writer believes the stream's version is. Versions start at 1 for the first event.</summary>
public readonly record struct ExpectedVersion(long Value)
{
    public static readonly ExpectedVersion Any = new(-1);
    public static readonly ExpectedVersion NoStream = new(0);
    public static ExpectedVersion Exactly(long version) =>
        version >= 0 ? new(version) : throw new ArgumentOutOfRangeException(nameof(version));
    public bool IsAny => Value < 0;
    public override string ToString() => IsAny ? "any" : Value == 0 ? "no stream" : Value.ToString();
}

/// <summary>Who and what caused an event; travels with it to the broker and the consumers.</summary>
public sealed record EventMetadata
{
    public string? CorrelationId { get; init; }
    public string? CausationId { get; init; }
    public string? TraceParent { get; init; }
    public string? TraceState { get; init; }
    public string? Principal { get; init; }
    public string? SourceSystem { get; init; }
    /// <summary>For events copied from another service's log: the original stream version.</summary>
    public long? SourceStreamVersion { get; init; }
    /// <summary>For events copied from another service's log: when the origin recorded them.</summary>
    public DateTimeOffset? SourceRecordedAt { get; init; }
    [JsonIgnore] public static EventMetadata Empty { get; } = new();
}

/// <summary>An event to append. <paramref name="Data"/> is the JSON body.</summary>
public sealed record NewEvent(Guid EventId, string EventType, string Data, EventMetadata Metadata);

/// <summary>An append to the projection store's hand-written log (JSON bodies).</summary>
public sealed record RawStreamAppend(string StreamId, string StreamType, ExpectedVersion Expected, IReadOnlyList<NewEvent> Events);

public sealed record RecordedEvent(
    Guid EventId,
    string StreamId,
    long StreamVersion,
    string EventType,
    string Data,
    EventMetadata Metadata,
    DateTimeOffset RecordedAt,
    LogPosition Position);

/// <summary>The stream was not at the version the writer expected: someone else wrote first.</summary>
public sealed class ConcurrencyException(string streamId, ExpectedVersion expected, Exception? inner = null)
    : Exception($"Stream '{streamId}' was changed concurrently (expected version {expected}).", inner)
{
    public string StreamId { get; } = streamId;
    public ExpectedVersion Expected { get; } = expected;
}

/// <summary>An event with this id is already stored (a replayed or duplicated write).</summary>
public sealed class DuplicateEventException(string message, Exception inner) : Exception(message, inner);

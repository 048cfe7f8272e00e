using System.Text.Json.Serialization;

namespace Icp.EventStore;

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

public sealed record RecordedEvent(
    Guid EventId,
    string StreamId,
    long StreamVersion,
    string EventType,
    string Data,
    EventMetadata Metadata,
    DateTimeOffset RecordedAt,
    long Sequence);

/// <summary>The stream was not at the version the writer expected: someone else wrote first.</summary>
public sealed class ConcurrencyException(string streamId, ExpectedVersion expected, Exception? inner = null)
    : Exception($"Stream '{streamId}' was changed concurrently (expected version {expected}).", inner)
{
    public string StreamId { get; } = streamId;
    public ExpectedVersion Expected { get; } = expected;
}


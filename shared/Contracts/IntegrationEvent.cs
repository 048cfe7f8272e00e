namespace Icp.Contracts;

/// <summary>
/// Headers every published integration event carries beside its body. The MassTransit
/// MessageId is the event id; these name the event's place in the publishing service's log.
/// </summary>
public static class IntegrationHeaders
{
    public const string SourceService = "icp-source-service";
    public const string StreamId = "icp-stream-id";
    public const string StreamVersion = "icp-stream-version";
    public const string RecordedAt = "icp-recorded-at";
    public const string EventType = "icp-event-type";
    public const string Principal = "icp-principal";
    public const string SourceSystem = "icp-source-system";
}

/// <summary>Lists every integration event type, by its versioned name.</summary>
public static class IntegrationEventTypes
{
    public static readonly IReadOnlyList<Type> All =
    [
        typeof(Indicators.UnitDefinedV1),
        typeof(Indicators.IndicatorDefinedV1),
        typeof(Indicators.IndicatorValueRevisedV1),
        typeof(Indicators.FeedSubmissionAcceptedV1),
    ];
}

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

/// <summary>
/// Every integration event type: the public records in the Icp.Contracts.* namespaces whose names end in a version
/// suffix ("V1", "V2", ...). A new contract is picked up by being declared; its name never changes once published.
/// </summary>
public static class IntegrationEventTypes
{
    public static readonly IReadOnlyList<Type> All = typeof(IntegrationEventTypes).Assembly.GetExportedTypes()
        .Where(t => t is { IsClass: true, IsAbstract: false, Namespace: not null }
                    && t.Namespace.StartsWith("Icp.Contracts.", StringComparison.Ordinal)
                    && IsVersioned(t.Name))
        .OrderBy(t => t.FullName, StringComparer.Ordinal)
        .ToArray();

    private static bool IsVersioned(string name)
    {
        var v = name.LastIndexOf('V');
        return v > 0 && v < name.Length - 1 && name.AsSpan(v + 1).ToString().All(char.IsAsciiDigit);
    }
}

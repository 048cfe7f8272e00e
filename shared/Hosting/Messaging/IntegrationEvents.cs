using System.Text.Json;
using Icp.Contracts;
using Icp.EventStore;

namespace Icp.Hosting.Messaging;

/// <summary>Maps integration event types to and from the names and JSON bodies stored in the event tables.</summary>
public static class IntegrationEvents
{
    private static readonly Dictionary<string, Type> ByName = IntegrationEventTypes.All.ToDictionary(t => t.Name);

    public static string NameOf(Type type) => type.Name;

    public static bool TryGetType(string eventType, out Type type) => ByName.TryGetValue(eventType, out type!);

    /// <summary>An integration event ready to append, named and serialised by its runtime type.</summary>
    public static NewEvent ToNewEvent(object body, EventMetadata metadata)
    {
        var type = body.GetType();
        if (!ByName.TryGetValue(NameOf(type), out var known) || known != type)
            throw new ArgumentException($"Not an integration event: {type.FullName}");
        return new(Guid.CreateVersion7(), NameOf(type), JsonSerializer.Serialize(body, type, ServiceDefaults.Json), metadata);
    }

    public static object Deserialize(string data, Type type) =>
        JsonSerializer.Deserialize(data, type, ServiceDefaults.Json)
        ?? throw new JsonException($"Event body of {type.Name} is null.");

    public static T Deserialize<T>(RecordedEvent e) => (T)Deserialize(e.Data, typeof(T));
}

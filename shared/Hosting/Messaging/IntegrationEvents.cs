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

    /// <summary>Whether <paramref name="type"/> is an integration event contract (and not merely named like one).</summary>
    public static bool IsContract(Type type) => ByName.TryGetValue(NameOf(type), out var known) && known == type;

    // Reading is strict: a body that leaves out a member of its contract, or has null where the contract has none,
    // does not match it and is refused (and so quarantined by whoever reads it), instead of reaching a read model
    // half-filled.
    private static readonly JsonSerializerOptions Strict = new(ServiceDefaults.Json)
    {
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
    };

    public static object Deserialize(string data, Type type) =>
        JsonSerializer.Deserialize(data, type, Strict)
        ?? throw new JsonException($"Event body of {type.Name} is null.");

    public static T Deserialize<T>(RecordedEvent e) => (T)Deserialize(e.Data, typeof(T));

    public static bool TryDeserialize<T>(RecordedEvent e, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out T? body)
        where T : class
    {
        try
        {
            body = Deserialize<T>(e);
            return true;
        }
        catch (JsonException)
        {
            body = null;
            return false;
        }
    }
}

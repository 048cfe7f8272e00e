using System.Text.Json;
using Icp.EventStore;
using Icp.Hosting;
using Icp.Hosting.Security;
using Npgsql;

namespace Icp.Projections.EventLog;

public sealed record FeedEvent(string Position, Guid EventId, string Type, string SourceService, string StreamId, long StreamVersion,
    DateTimeOffset RecordedAt, JsonElement Data);

public sealed record FeedPage(IReadOnlyList<FeedEvent> Events, string Next);

/// <summary>
/// Every integration event the platform has published, in a stable order, paged and resumable: for integrators
/// who cannot bind a queue to RabbitMQ. The order is the projection store's sequence, read only up to its high-water
/// mark so that a page never skips an event committed late.
/// </summary>
public static class EventFeedEndpoints
{
    public const int MaxPageSize = 1000;

    private static string Position(long sequence) => sequence.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static RouteGroupBuilder MapEventFeedEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/events", async (string? after, int? limit, HttpContext http, NpgsqlDataSource dataSource, CancellationToken ct) =>
        {
            // The raw feed carries every system's events, so it is for callers who see every system.
            if (!http.Caller().SeesAllSystems)
                return Problems.Forbidden("The event feed carries every system's events; it is open to clients registered for all systems ('*').");
            var errors = new List<ValidationError>();
            long position = 0;
            if (!string.IsNullOrEmpty(after) && !(long.TryParse(after, System.Globalization.NumberStyles.None,
                    System.Globalization.CultureInfo.InvariantCulture, out position)))
                errors.Add(new(null, "after", "Use the 'next' value of a previous page (or leave it out to start at the beginning)."));
            if (limit is < 1 or > MaxPageSize) errors.Add(new(null, "limit", $"From 1 to {MaxPageSize}."));
            if (errors.Count > 0) return Problems.Validation(errors);

            // Up to the high-water mark only: beyond it a transaction still in flight may yet commit an earlier event.
            var events = await StoredEvents.ReadRangeAsync(dataSource, position, await StoredEvents.HighWaterMarkAsync(dataSource, ct),
                limit ?? 100, ct);
            var page = events.Select(e =>
            {
                var slash = e.StreamId.IndexOf('/');
                return new FeedEvent(Position(e.Sequence), e.EventId, e.EventType,
                    slash > 0 ? e.StreamId[..slash] : "", slash > 0 ? e.StreamId[(slash + 1)..] : e.StreamId,
                    e.Metadata.SourceStreamVersion ?? e.StreamVersion, e.Metadata.SourceRecordedAt ?? e.RecordedAt,
                    JsonDocument.Parse(e.Data).RootElement.Clone());
            }).ToList();
            return Results.Ok(new FeedPage(page, Position(events.Count > 0 ? events[^1].Sequence : position)));
        }).WithSummary("All integration events in order from a position, paged and resumable (pass 'next' as 'after')")
            .RequireScope(Scopes.ReadSensitive).AuditRead("event feed", "after", "limit");
        return api;
    }
}

using System.Text.Json;
using System.Threading.Channels;
using Icp.Contracts.Indicators;
using Icp.EventStore;
using Icp.Hosting;
using Icp.Hosting.Security;
using Icp.Hosting.Messaging;
using Npgsql;

namespace Icp.Projections.LiveUpdates;

public sealed record ChartRef(string IndicatorId, string UnitId);

public sealed record OtherChange(string Type, string StreamId);

/// <summary>What one applied batch changed: the SPC charts, and the other read-model inputs by event type and stream.</summary>
public sealed record ReadModelChanges(string Position, IReadOnlyList<ChartRef> Charts, IReadOnlyList<OtherChange> Other)
{
    public static ReadModelChanges From(IReadOnlyList<RecordedEvent> events)
    {
        var charts = new HashSet<ChartRef>();
        var other = new HashSet<OtherChange>();
        foreach (var e in events)
        {
            // An event that does not match its contract is quarantined by the read models: it changed no chart.
            if (e.EventType == nameof(IndicatorValuesRevisedV2))
            {
                if (IntegrationEvents.TryDeserialize<IndicatorValuesRevisedV2>(e, out var values))
                    charts.Add(new ChartRef(values.SeriesId, values.UnitId));
            }
            else if (e.EventType == nameof(IndicatorValueRevisedV1))
            {
                if (IntegrationEvents.TryDeserialize<IndicatorValueRevisedV1>(e, out var value))
                    charts.Add(new ChartRef(value.SeriesId, value.UnitId));
            }
            else
            {
                other.Add(new OtherChange(e.EventType, e.StreamId));
            }
        }
        return new ReadModelChanges(events[^1].Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture), charts.ToList(),
            other.ToList());
    }
}

/// <summary>
/// Server-Sent Events of read-model changes: one message per applied batch, its id the log position up to which the
/// read models are current. A client that reconnects with Last-Event-ID first gets what changed since, from the store.
/// </summary>
public sealed class LiveUpdateHub
{
    private readonly List<Channel<ReadModelChanges>> _subscribers = [];
    private readonly Lock _gate = new();

    public LiveUpdateHub(ProjectionRunner runner) => runner.Applied += Publish;

    // Runs on the runner's path, between one page and the next: with nobody listening, the events are not even read.
    private void Publish(IReadOnlyList<RecordedEvent> events)
    {
        lock (_gate)
        {
            if (_subscribers.Count == 0) return;
            var changes = ReadModelChanges.From(events);
            foreach (var subscriber in _subscribers) subscriber.Writer.TryWrite(changes);
        }
    }

    private Channel<ReadModelChanges> Subscribe()
    {
        var channel = Channel.CreateBounded<ReadModelChanges>(new BoundedChannelOptions(1000) { FullMode = BoundedChannelFullMode.DropOldest });
        lock (_gate) _subscribers.Add(channel);
        return channel;
    }

    private void Unsubscribe(Channel<ReadModelChanges> channel)
    {
        lock (_gate) _subscribers.Remove(channel);
    }

    public async Task StreamAsync(HttpContext context, NpgsqlDataSource dataSource, ProjectionRunner runner, CancellationToken ct)
    {
        var lastEventId = context.Request.Headers["Last-Event-ID"].FirstOrDefault() ?? context.Request.Query["lastEventId"].FirstOrDefault();
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        context.Response.Headers["X-Accel-Buffering"] = "no";
        var channel = Subscribe(); // before catching up, so nothing applied meanwhile is missed
        try
        {
            long sent = 0;
            if (TryParsePosition(lastEventId, out var from))
            {
                sent = from;
                // Catch up from the store, up to what the read models already reflect.
                var current = await runner.CurrentPositionAsync(ct);
                while (true)
                {
                    var batch = await StoredEvents.ReadRangeAsync(dataSource, sent, current, 1000, ct);
                    if (batch.Count == 0) break;
                    await WriteAsync(context, ReadModelChanges.From(batch), ct);
                    sent = batch[^1].Sequence;
                }
            }
            else
            {
                sent = await runner.CurrentPositionAsync(ct);
                await context.Response.WriteAsync($"id: {sent}\nevent: ready\ndata: {{}}\n\n", ct);
                await context.Response.Body.FlushAsync(ct);
            }
            while (!ct.IsCancellationRequested)
            {
                using var heartbeat = CancellationTokenSource.CreateLinkedTokenSource(ct);
                heartbeat.CancelAfter(TimeSpan.FromSeconds(15));
                try
                {
                    var changes = await channel.Reader.ReadAsync(heartbeat.Token);
                    if (TryParsePosition(changes.Position, out var position) && position <= sent) continue;
                    await WriteAsync(context, changes, ct);
                    sent = position;
                }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                    await context.Response.WriteAsync(": keep-alive\n\n", ct);
                    await context.Response.Body.FlushAsync(ct);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The client went away.
        }
        finally
        {
            Unsubscribe(channel);
        }
    }

    private static bool TryParsePosition(string? text, out long position) =>
        long.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out position);

    // A caller limited to some systems hears of their charts only (other changes name streams of every system).
    private static async Task WriteAsync(HttpContext context, ReadModelChanges changes, CancellationToken ct)
    {
        if (!context.Caller().SeesAllSystems)
        {
            var scope = await context.UnitScopeAsync(changes.Charts.Select(c => c.UnitId).Distinct());
            changes = changes with { Charts = changes.Charts.Where(c => scope.Includes(c.UnitId)).ToList(), Other = [] };
        }
        await context.Response.WriteAsync($"id: {changes.Position}\nevent: changes\ndata: {JsonSerializer.Serialize(changes, ServiceDefaults.Json)}\n\n", ct);
        await context.Response.Body.FlushAsync(ct);
    }
}

public static class LiveUpdateEndpoints
{
    public static RouteGroupBuilder MapLiveUpdateEndpoints(this RouteGroupBuilder routes)
    {
        var api = routes.MapGroup("").RequireScope(Scopes.ReadAggregate);
        api.MapGet("/stream", (HttpContext context, LiveUpdateHub live, NpgsqlDataSource dataSource, ProjectionRunner runner, CancellationToken ct) =>
            live.StreamAsync(context, dataSource, runner, ct))
            .WithSummary("Server-Sent Events: which read models changed (charts by indicator and unit), resumable with Last-Event-ID");
        return routes;
    }
}

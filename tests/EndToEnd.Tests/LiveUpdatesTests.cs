using System.Net;
using System.Text.Json;
using Xunit;

namespace Icp.EndToEnd.Tests;

[Collection(PlatformCollection.Name)]
public sealed class LiveUpdatesTests(PlatformFixture platform)
{
    private sealed record ServerEvent(string? Id, string? Event, string Data);

    private static async Task<ServerEvent> NextEventAsync(StreamReader reader, CancellationToken ct)
    {
        string? id = null, name = null;
        var data = new List<string>();
        while (await reader.ReadLineAsync(ct) is { } line)
        {
            if (line.Length == 0)
            {
                if (data.Count > 0 || name is not null) return new ServerEvent(id, name, string.Join('\n', data));
                continue;
            }
            if (line.StartsWith(':')) continue; // keep-alive comment
            var colon = line.IndexOf(':');
            var (field, value) = colon < 0 ? (line, "") : (line[..colon], line[(colon + 1)..].TrimStart());
            switch (field)
            {
                case "id": id = value; break;
                case "event": name = value; break;
                case "data": data.Add(value); break;
            }
        }
        throw new EndOfStreamException("The event stream ended.");
    }

    private static bool Mentions(ServerEvent e, string indicator, string unit) =>
        e.Event == "changes" && JsonDocument.Parse(e.Data).RootElement.GetProperty("charts").EnumerateArray()
            .Any(c => c.GetProperty("indicatorId").GetString() == indicator && c.GetProperty("unitId").GetString() == unit);

    private async Task<(HttpResponseMessage Response, StreamReader Reader)> OpenAsync(string? lastEventId)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/stream");
        if (lastEventId is not null) request.Headers.Add("Last-Event-ID", lastEventId);
        var response = await platform.Gateway.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        return (response, new StreamReader(await response.Content.ReadAsStreamAsync()));
    }

    [Fact]
    public async Task A_feed_is_announced_on_the_live_stream_and_a_reconnecting_client_catches_up()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var (unit, indicator) = ($"live-{suffix}", $"contacts-live-{suffix}");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var (response, reader) = await OpenAsync(null);
        using (response)
        {
            var ready = await NextEventAsync(reader, timeout.Token);
            Assert.Equal("ready", ready.Event);
            Assert.NotNull(ready.Id);

            Assert.True((await platform.PutAsync($"/api/v1/units/{unit}", new { name = "Live", kind = "neighbourhood" })).IsSuccessStatusCode);
            Assert.True((await platform.PutAsync($"/api/v1/indicators/{indicator}",
                new { name = "Contacts", domain = "System flow", measure = "count", improvement = "increase" })).IsSuccessStatusCode);
            Assert.Equal(HttpStatusCode.Accepted, (await platform.PostAsync("/api/v1/feeds", new
            {
                source = "epr", submissionId = $"live-{suffix}",
                rows = new[] { new { unitId = unit, indicatorId = indicator, period = "2025-01", value = 12 } },
            })).StatusCode);

            ServerEvent announced;
            do announced = await NextEventAsync(reader, timeout.Token);
            while (!Mentions(announced, indicator, unit));
            var chart = await platform.GetJsonAsync($"/api/v1/spc/{indicator}/{unit}");
            Assert.Equal(12, chart.GetProperty("points")[0].GetProperty("value").GetDouble()); // announced means readable

            // A client that saw only "ready" and reconnects is told what changed since.
            var (again, replay) = await OpenAsync(ready.Id);
            using (again)
            {
                ServerEvent caughtUp;
                do caughtUp = await NextEventAsync(replay, timeout.Token);
                while (!Mentions(caughtUp, indicator, unit));
            }
        }
    }
}

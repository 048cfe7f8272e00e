using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Icp.TestSupport;
using Xunit;

namespace Icp.EndToEnd.Tests;

[Collection(PlatformCollection.Name)]
public sealed class WalkingSkeletonTests(PlatformFixture platform)
{
    private static readonly string Suffix = Guid.NewGuid().ToString("N")[..8];

    private async Task DefineUnitAndIndicatorAsync(string unit, string indicator)
    {
        var unitResponse = await platform.PutAsync($"/api/v1/units/{unit}",
            new { name = "East", kind = "neighbourhood", parentId = "camden", role = "intervention", goLive = "2024-10" });
        Assert.Equal(HttpStatusCode.Created, unitResponse.StatusCode);
        var indicatorResponse = await platform.PutAsync($"/api/v1/indicators/{indicator}",
            new { name = "Successful reablement", domain = "Efficiency", measure = "proportion", improvement = "increase", target = 0.75, chart = "p", unitLabel = "%" });
        Assert.Equal(HttpStatusCode.Created, indicatorResponse.StatusCode);
    }

    [Fact]
    public async Task A_feed_pushed_through_the_gateway_reaches_the_spc_read_model()
    {
        var unit = $"east-{Suffix}";
        var indicator = $"reablement-{Suffix}";
        await DefineUnitAndIndicatorAsync(unit, indicator);

        // 41/57, 30/50 and a 0/0 month (accepted, unplottable)
        var feed = new
        {
            source = "community-health-epr",
            submissionId = $"2025-03-chs-{Suffix}",
            rows = new object[]
            {
                new { unitId = unit, indicatorId = indicator, period = "2025-01", numerator = 41, denominator = 57 },
                new { unitId = unit, indicatorId = indicator, period = "2025-02", numerator = 30, denominator = 50 },
                new { unitId = unit, indicatorId = indicator, period = "2025-03", numerator = 0, denominator = 0 },
            },
        };
        var traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/feeds") { Content = JsonContent.Create(feed) };
        request.Headers.Add("traceparent", $"00-{traceId}-00f067aa0ba902b7-01");
        using var accepted = await platform.Gateway.SendAsync(request);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var answer = await accepted.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(feed.submissionId, answer.GetProperty("submissionId").GetString());
        Assert.Equal(3, answer.GetProperty("rows").GetInt32());

        JsonElement chart = default;
        await TestInfrastructure.EventuallyAsync(async () =>
        {
            using var response = await platform.Gateway.GetAsync($"/api/v1/spc/{indicator}/{unit}");
            if (response.StatusCode != HttpStatusCode.OK) return false;
            chart = await response.Content.ReadFromJsonAsync<JsonElement>();
            // The months may arrive in separate batches: wait until January and February both have their values.
            var points = chart.GetProperty("points");
            return points.GetArrayLength() == 3 && points[0].GetProperty("value").ValueKind == JsonValueKind.Number
                   && points[1].GetProperty("value").ValueKind == JsonValueKind.Number;
        }, "the three months in the SPC read model");

        Assert.Equal(indicator, chart.GetProperty("indicatorId").GetString());
        Assert.Equal(unit, chart.GetProperty("unitId").GetString());
        Assert.Equal("p", chart.GetProperty("chart").GetString());
        var points = chart.GetProperty("points").EnumerateArray().ToList();
        Assert.Equal(["2025-01", "2025-02", "2025-03"], points.Select(p => p.GetProperty("period").GetString()));
        Assert.Equal(41.0 / 57, points[0].GetProperty("value").GetDouble(), 12);
        Assert.Equal(41, points[0].GetProperty("numerator").GetDouble());
        Assert.Equal(57, points[0].GetProperty("denominator").GetDouble());
        Assert.Equal(0.6, points[1].GetProperty("value").GetDouble(), 12);
        Assert.Equal(JsonValueKind.Null, points[2].GetProperty("value").ValueKind);
        Assert.True(points[2].GetProperty("unplottable").GetBoolean());
        // p-bar over the plottable months: (41 + 30) / (57 + 50)
        Assert.Equal(71.0 / 107, points[0].GetProperty("mean").GetDouble(), 12);
        Assert.Equal(71.0 / 107, chart.GetProperty("phases")[0].GetProperty("mean").GetDouble(), 12);
        Assert.Equal("common_cause", points[0].GetProperty("pointType").GetString());
        Assert.True(chart.GetProperty("provisional").GetBoolean());

        // The trace started by the caller runs through the event's metadata, the message and the consumer.
        await using var projections = platform.OpenDatabase("projections");
        await using var command = projections.CreateCommand(
            "select headers->>'traceparent' from mt_events where stream_id like $1 and type = 'IndicatorValuesRevisedV2'");
        command.Parameters.Add(new() { Value = $"indicators/series/{indicator}/%" });
        await using var reader = await command.ExecuteReaderAsync();
        var traceParents = new List<string>();
        while (await reader.ReadAsync()) traceParents.Add(reader.GetString(0));
        Assert.Single(traceParents); // the feed's three months of one series are one event
        Assert.All(traceParents, t => Assert.Equal(traceId, t.Split('-')[1]));
    }

    [Fact]
    public async Task The_same_submission_again_changes_nothing_and_a_bad_feed_stores_nothing()
    {
        var unit = $"north-{Suffix}";
        var indicator = $"reablement-b-{Suffix}";
        await DefineUnitAndIndicatorAsync(unit, indicator);
        var feed = new
        {
            source = "chs",
            submissionId = $"twice-{Suffix}",
            rows = new object[] { new { unitId = unit, indicatorId = indicator, period = "2025-01", numerator = 5, denominator = 10 } },
        };
        Assert.Equal(HttpStatusCode.Accepted, (await platform.PostAsync("/api/v1/feeds", feed)).StatusCode);
        var again = await platform.PostAsync("/api/v1/feeds", feed);
        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        Assert.Equal(1, (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("rows").GetInt32());

        var bad = await platform.PostAsync("/api/v1/feeds", new
        {
            source = "chs",
            submissionId = $"bad-{Suffix}",
            rows = new object[]
            {
                new { unitId = unit, indicatorId = indicator, period = "2025-02", numerator = 6, denominator = 10 },
                new { unitId = "nowhere", indicatorId = indicator, period = "2025-13", numerator = 11, denominator = 10 },
            },
        });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("application/problem+json", bad.Content.Headers.ContentType?.MediaType);
        var problem = await bad.Content.ReadFromJsonAsync<JsonElement>();
        var errors = problem.GetProperty("errors").EnumerateArray().ToList();
        Assert.All(errors, e => Assert.Equal(2, e.GetProperty("row").GetInt32()));
        Assert.Equal(["numerator", "period", "unitId"], errors.Select(e => e.GetProperty("field").GetString()).Order());

        await using var indicators = platform.OpenDatabase("indicators");
        await using var command = indicators.CreateCommand("select count(*) from mt_events where stream_id = $1");
        command.Parameters.Add(new() { Value = $"series/{indicator}/{unit}" });
        Assert.Equal(1L, await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task A_revision_changes_the_chart_and_as_of_shows_the_chart_as_it_was_known_before()
    {
        var unit = $"west-{Suffix}";
        var indicator = $"reablement-c-{Suffix}";
        await DefineUnitAndIndicatorAsync(unit, indicator);
        object Row(string period, int numerator) => new { unitId = unit, indicatorId = indicator, period, numerator, denominator = 50 };
        Assert.Equal(HttpStatusCode.Accepted, (await platform.PostAsync("/api/v1/feeds",
            new { source = "chs", submissionId = $"orig-{Suffix}", rows = new[] { Row("2025-01", 20), Row("2025-02", 25) } })).StatusCode);
        await WaitForValueAsync(indicator, unit, 0, 20.0 / 50);
        var beforeRevision = DateTimeOffset.UtcNow;
        await Task.Delay(50);

        Assert.Equal(HttpStatusCode.Accepted, (await platform.PostAsync("/api/v1/feeds",
            new { source = "chs", submissionId = $"rev-{Suffix}", rows = new[] { Row("2025-01", 30), Row("2025-02", 25) } })).StatusCode);
        await WaitForValueAsync(indicator, unit, 0, 30.0 / 50);

        var then = await platform.GetJsonAsync($"/api/v1/spc/{indicator}/{unit}?asOf={Uri.EscapeDataString(beforeRevision.ToString("O"))}");
        Assert.Equal(20.0 / 50, then.GetProperty("points")[0].GetProperty("value").GetDouble(), 12);
        Assert.Equal(45.0 / 100, then.GetProperty("points")[0].GetProperty("mean").GetDouble(), 12);
        var now = await platform.GetJsonAsync($"/api/v1/spc/{indicator}/{unit}");
        Assert.Equal(55.0 / 100, now.GetProperty("points")[0].GetProperty("mean").GetDouble(), 12);

        var bad = await platform.Gateway.GetAsync($"/api/v1/spc/{indicator}/{unit}?baselinePoints=3&rules=nelson");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var fields = (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateArray()
            .Select(e => e.GetProperty("field").GetString()).Order();
        Assert.Equal(["baselinePoints", "rules"], fields);
    }

    private Task WaitForValueAsync(string indicator, string unit, int index, double expected) =>
        TestInfrastructure.EventuallyAsync(async () =>
        {
            using var response = await platform.Gateway.GetAsync($"/api/v1/spc/{indicator}/{unit}");
            if (response.StatusCode != HttpStatusCode.OK) return false;
            var points = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("points");
            return points.GetArrayLength() > index && points[index].GetProperty("value") is { ValueKind: JsonValueKind.Number } v
                && Math.Abs(v.GetDouble() - expected) < 1e-12;
        }, $"{indicator}/{unit} month {index} to read {expected}");

    [Fact]
    public async Task Integrators_page_through_every_event_in_order_with_the_admin_key()
    {
        var unit = $"south-{Suffix}";
        var indicator = $"reablement-d-{Suffix}";
        await DefineUnitAndIndicatorAsync(unit, indicator);
        var key = Environment.GetEnvironmentVariable("ICP_ADMIN_API_KEY");
        Assert.False(string.IsNullOrEmpty(key), "deploy/env.sh exports ICP_ADMIN_API_KEY; the gateway then protects the feed");
        Assert.Equal(HttpStatusCode.Unauthorized, (await platform.Anonymous.GetAsync("/api/v1/events")).StatusCode);

        var seen = new List<JsonElement>();
        string? after = null;
        await TestInfrastructure.EventuallyAsync(async () =>
        {
            while (true)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/events?limit=7{(after is null ? "" : $"&after={after}")}");
                request.Headers.Add("X-Api-Key", key);
                using var response = await platform.Gateway.SendAsync(request);
                response.EnsureSuccessStatusCode();
                var page = await response.Content.ReadFromJsonAsync<JsonElement>();
                after = page.GetProperty("next").GetString();
                var events = page.GetProperty("events").EnumerateArray().ToList();
                seen.AddRange(events);
                if (events.Count == 0) break;
            }
            return seen.Any(e => e.GetProperty("type").GetString() == "IndicatorDefinedV1"
                                 && e.GetProperty("data").GetProperty("indicatorId").GetString() == indicator);
        }, "the indicator's event in the feed");

        Assert.Equal(seen.Count, seen.Select(e => e.GetProperty("eventId").GetGuid()).Distinct().Count());
        var unitEvent = seen.Single(e => e.GetProperty("type").GetString() == "UnitDefinedV1" && e.GetProperty("streamId").GetString() == $"unit/{unit}");
        Assert.Equal("indicators", unitEvent.GetProperty("sourceService").GetString());
        Assert.Equal(1, unitEvent.GetProperty("streamVersion").GetInt64());
    }

    [Fact]
    public async Task Rebuilding_the_read_models_from_the_projection_store_gives_the_same_charts()
    {
        var unit = $"rebuild-{Suffix}";
        var indicator = $"reablement-e-{Suffix}";
        await DefineUnitAndIndicatorAsync(unit, indicator);
        var rows = Enumerable.Range(0, 15).Select(i => new
        {
            unitId = unit, indicatorId = indicator, period = new DateOnly(2024, 1, 1).AddMonths(i).ToString("yyyy-MM"),
            numerator = 20 + i % 4 * 3, denominator = 40,
        }).ToArray();
        Assert.Equal(HttpStatusCode.Accepted, (await platform.PostAsync("/api/v1/feeds", new { source = "chs", submissionId = $"rb1-{Suffix}", rows })).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await platform.PostAsync("/api/v1/feeds", new
        {
            source = "chs", submissionId = $"rb2-{Suffix}", rows = new[] { rows[3] with { numerator = 35 } },
        })).StatusCode);
        await WaitForValueAsync(indicator, unit, 3, 35.0 / 40);
        var before = await platform.Gateway.GetStringAsync($"/api/v1/spc/{indicator}/{unit}");

        using var rebuild = new HttpRequestMessage(HttpMethod.Post, "/api/v1/admin/rebuild");
        rebuild.Headers.Add("X-Api-Key", Environment.GetEnvironmentVariable("ICP_ADMIN_API_KEY"));
        Assert.Equal(HttpStatusCode.Accepted, (await platform.Gateway.SendAsync(rebuild)).StatusCode);

        string? after = null;
        await TestInfrastructure.EventuallyAsync(async () =>
        {
            using var response = await platform.Gateway.GetAsync($"/api/v1/spc/{indicator}/{unit}");
            after = response.IsSuccessStatusCode ? await response.Content.ReadAsStringAsync() : null;
            return after == before;
        }, "the rebuilt chart to equal the chart before the rebuild");
        Assert.Equal(before, after);
    }

    [Fact]
    public async Task Every_service_is_ready_and_its_openapi_document_is_served_through_the_gateway()
    {
        foreach (var service in new[] { "indicators", "referrals", "surveys", "casestudies", "projections" })
        {
            var document = await platform.GetJsonAsync($"/openapi/{service}.json");
            Assert.StartsWith("3.", document.GetProperty("openapi").GetString());
        }
        var health = await platform.Gateway.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text;
using Icp.TestSupport;
using Xunit;

namespace Icp.Indicators.Tests;

public sealed class FeedApiTests(IndicatorsHost host) : IClassFixture<IndicatorsHost>, IAsyncLifetime
{
    private HttpClient Client => host.Client;

    public Task InitializeAsync() => ApiHelpers.SeedAsync(Client, "east", "west", "north", "south");
    public Task DisposeAsync() => Task.CompletedTask;

    private Task<long> RevisionsOfAsync(string unit) =>
        host.ScalarAsync("""
            select coalesce(sum(jsonb_array_length(data->'months')), 0) from mt_events
            where type = 'IndicatorValuesRevisedV2' and data->>'unitId' = $1
            """, unit);

    [Fact]
    public async Task A_json_feed_is_accepted_as_the_contract_says_and_a_replay_changes_nothing()
    {
        var feed = new
        {
            source = "community-health-epr", submissionId = "2025-03-chs-001",
            rows = new object[]
            {
                new { unitId = "east", indicatorId = "reablement", period = "2025-03", numerator = 41, denominator = 57 },
                new { unitId = "east", indicatorId = "referrals-in", period = "2025-03", value = 132 },
            },
        };
        var accepted = await Client.PostAsJsonAsync("/api/v1/feeds", feed).ExpectAsync(HttpStatusCode.Accepted);
        Assert.Equal(("2025-03-chs-001", 2), (accepted.GetProperty("submissionId").GetString(), accepted.GetProperty("rows").GetInt32()));
        Assert.Equal(2, accepted.EnumerateObject().Count());

        var replay = await Client.PostAsJsonAsync("/api/v1/feeds", feed).ExpectAsync(HttpStatusCode.Accepted);
        Assert.Equal(accepted.ToString(), replay.ToString());
        Assert.Equal(2, await RevisionsOfAsync("east"));

        var status = await Client.GetAsync("/api/v1/feeds/2025-03-chs-001").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(("accepted", "community-health-epr", 2, 2),
            (status.GetProperty("status").GetString(), status.GetProperty("source").GetString(), status.GetProperty("rows").GetInt32(), status.GetProperty("revisions").GetInt32()));
        await Client.GetAsync("/api/v1/feeds/never-sent").ExpectAsync(HttpStatusCode.NotFound);

        await TestInfrastructure.EventuallyAsync(
            () => Task.FromResult(host.PublishedRevisions.Count(r => r.UnitId == "east" && r.Period == "2025-03") == 2),
            "both revisions of the feed published to RabbitMQ");
        var reablement = host.PublishedRevisions.Single(r => r is { UnitId: "east", IndicatorId: "reablement" });
        Assert.Equal((41.0, 57.0, "2025-03-chs-001"), (reablement.Numerator!.Value, reablement.Denominator!.Value, reablement.SubmissionId));
    }

    [Fact]
    public async Task Incidents_by_type_are_fed_with_a_category_and_kept_as_one_series_per_type()
    {
        await Client.PutAsJsonAsync("/api/v1/indicators/incidents-by-type", new
        {
            name = "Incident reports by type", domain = "System flow", measure = "count", improvement = "neutral",
            categories = new[] { "falls", "medication", "other" },
        }).ExpectAsync(HttpStatusCode.Created);
        var bad = await Client.PutAsJsonAsync("/api/v1/indicators/bad-types", new
        {
            name = "Bad", domain = "Safety", measure = "count", improvement = "neutral", categories = new[] { "a:b", "c", "c" },
        }).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Equal(2, bad.Errors().Count(e => e.Field == "categories"));

        await Client.PostAsJsonAsync("/api/v1/feeds", new
        {
            source = "datix", submissionId = "incidents-1",
            rows = new object[]
            {
                new { unitId = "south", indicatorId = "incidents-by-type", category = "falls", period = "2025-01", value = 7 },
                new { unitId = "south", indicatorId = "incidents-by-type", category = "medication", period = "2025-01", value = 3 },
            },
        }).ExpectAsync(HttpStatusCode.Accepted);
        using var csv = new StringContent("unit_id,indicator_id,category,period,value,numerator,denominator\nsouth,incidents-by-type,falls,2025-02,5,,\n",
            Encoding.UTF8, "text/csv");
        await Client.PostAsync("/api/v1/feeds?source=datix&submissionId=incidents-2", csv).ExpectAsync(HttpStatusCode.Accepted);

        var falls = await Client.GetAsync("/api/v1/indicators/incidents-by-type/units/south/values?category=falls").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal([("2025-01", 7.0), ("2025-02", 5.0)], falls.EnumerateArray().Select(v => (v.GetProperty("period").GetString(), v.GetProperty("value").GetDouble())));
        var medication = await Client.GetAsync("/api/v1/indicators/incidents-by-type:medication/units/south/values").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(3.0, Assert.Single(medication.EnumerateArray()).GetProperty("value").GetDouble());
        await Client.GetAsync("/api/v1/indicators/incidents-by-type/units/south/values/2025-02/history?category=falls").ExpectAsync(HttpStatusCode.OK);

        await TestInfrastructure.EventuallyAsync(
            () => Task.FromResult(host.PublishedRevisions.Count(r => r is { UnitId: "south", IndicatorId: "incidents-by-type" }) == 3),
            "the three typed revisions published");
        Assert.Equal(["falls", "falls", "medication"], host.PublishedRevisions.Where(r => r is { UnitId: "south", IndicatorId: "incidents-by-type" }).Select(r => r.Category!).Order());
        // One event per series and submission: falls in each of the two submissions, medication in the first.
        Assert.Equal(1, await host.ScalarAsync("select count(*) from mt_events where type = 'IndicatorValuesRevisedV2' and data->>'category' = 'medication'"));
        Assert.Equal(2, await host.ScalarAsync("select count(*) from mt_events where type = 'IndicatorValuesRevisedV2' and data->>'category' = 'falls'"));
    }

    [Fact]
    public async Task A_feed_with_bad_rows_is_rejected_whole_naming_every_bad_row()
    {
        var rows = new object[]
        {
            new { unitId = "nowhere", indicatorId = "referrals-in", period = "2025-01", value = 5 },
            new { unitId = "west", indicatorId = "referrals-in", period = "2025-02", value = (object)"twelve" },
            new { unitId = "west", indicatorId = "referrals-in", period = "2025-7", value = 5 },
            new { unitId = "west", indicatorId = "referrals-in", period = "2025-07", value = 5 },
            new { unitId = "west", indicatorId = "reablement", period = "2025-01", numerator = 3, denominator = 0 },
            new { unitId = "west", indicatorId = "referrals-in", period = "2025-03", value = -1 },
            new { unitId = "west", indicatorId = "reablement", period = "2025-02", numerator = 0, denominator = 0 },
        };
        var problem = await Client.PostAsJsonAsync("/api/v1/feeds", new { source = "epr", submissionId = "bad-1", rows })
            .ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Equal([(1, "unitId"), (2, "value"), (3, "period"), (4, "period"), (5, "numerator"), (6, "value")], problem.Errors());
        Assert.Equal(0, await RevisionsOfAsync("west"));
        Assert.Equal(0, await host.ScalarAsync("select coalesce(sum(cardinality(periods)), 0) from series_values where unit_id = 'west'"));
        await Client.GetAsync("/api/v1/feeds/bad-1").ExpectAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_month_of_zero_over_zero_is_stored()
    {
        await Client.PostAsJsonAsync("/api/v1/feeds", new
        {
            source = "epr", submissionId = "zero-1",
            rows = new[] { new { unitId = "north", indicatorId = "reablement", period = "2025-04", numerator = 0, denominator = 0 } },
        }).ExpectAsync(HttpStatusCode.Accepted);
        var series = await Client.GetAsync("/api/v1/indicators/reablement/units/north/values").ExpectAsync(HttpStatusCode.OK);
        var month = Assert.Single(series.EnumerateArray());
        Assert.Equal(("2025-04", 0.0, 0.0), (month.GetProperty("period").GetString(), month.GetProperty("numerator").GetDouble(), month.GetProperty("denominator").GetDouble()));
    }

    [Fact]
    public async Task A_csv_feed_is_accepted_and_its_errors_count_data_rows_from_one()
    {
        const string good = "unit_id,indicator_id,period,value,numerator,denominator\nsouth,referrals-in,2025-01,12,,\nsouth,reablement,2025-01,,40,57\n";
        var accepted = await Client.PostCsvAsync("/api/v1/feeds?source=social-care&submissionId=csv-1", good).ExpectAsync(HttpStatusCode.Accepted);
        Assert.Equal(("csv-1", 2), (accepted.GetProperty("submissionId").GetString(), accepted.GetProperty("rows").GetInt32()));
        Assert.Equal(2, await RevisionsOfAsync("south"));

        const string bad = "indicator_id,unit_id,period,value,numerator,denominator\nreferrals-in,south,2025-02,abc,,\nreferrals-in,south,2025-03,5\nreferrals-in,nowhere,2025-04,5,,\n";
        var problem = await Client.PostCsvAsync("/api/v1/feeds?submissionId=csv-2", bad).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Equal([(null, "source"), (1, "value"), (2, "row"), (3, "unitId")], problem.Errors());
        Assert.Equal(2, await RevisionsOfAsync("south"));
    }

    [Fact]
    public async Task An_over_size_body_is_refused_and_nothing_is_stored()
    {
        await using var small = host.Create(new Dictionary<string, string> { ["Feeds:MaxBodyBytes"] = "2000" });
        using var client = small.CreateClient();
        var rows = Enumerable.Range(1, 40).Select(i => new { unitId = "north", indicatorId = "referrals-in", period = $"20{10 + i / 12:00}-{i % 12 + 1:00}", value = i });
        var problem = await client.PostAsJsonAsync("/api/v1/feeds", new { source = "epr", submissionId = "big-1", rows }).ExpectAsync(HttpStatusCode.RequestEntityTooLarge);
        Assert.Contains("at most 2,000 bytes", problem.GetProperty("detail").GetString());
        Assert.Equal(0, await host.ScalarAsync("select count(*) from submissions where submission_id = 'big-1'"));
    }

    [Fact]
    public async Task Unsupported_media_types_are_refused()
    {
        using var content = new StringContent("<feed/>", Encoding.UTF8, "application/xml");
        await Client.PostAsync("/api/v1/feeds", content).ExpectAsync(HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task Completeness_lists_gaps_as_missing_and_due_months_after_the_latest_as_overdue()
    {
        var rows = new[] { "2025-01", "2025-02", "2025-04" }.Select(p => new { unitId = "north", indicatorId = "referrals-in", period = p, value = 10 });
        await Client.PostAsJsonAsync("/api/v1/feeds", new { source = "gp-system", submissionId = "gp-1", rows }).ExpectAsync(HttpStatusCode.Accepted);

        // The host's clock stands at 20 June 2025 and months are due on the 15th of the next month: May is overdue.
        var report = await Client.GetAsync("/api/v1/feeds/completeness?source=gp-system").ExpectAsync(HttpStatusCode.OK);
        var entry = Assert.Single(report.GetProperty("combinations").EnumerateArray());
        Assert.Equal(["2025-03"], entry.GetProperty("missing").EnumerateArray().Select(m => m.GetString()));
        Assert.Equal(["2025-05"], entry.GetProperty("overdue").EnumerateArray().Select(m => m.GetString()));
        Assert.Equal(("overdue", 5, 3), (entry.GetProperty("status").GetString(), entry.GetProperty("expected").GetInt32(), entry.GetProperty("received").GetInt32()));

        var earlier = await Client.GetAsync("/api/v1/feeds/completeness?source=gp-system&asOf=2025-05-10").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("missing", earlier.GetProperty("combinations")[0].GetProperty("status").GetString());
    }
}

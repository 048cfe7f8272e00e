using System.Net;
using System.Net.Http.Json;
using Icp.Contracts.Indicators;
using Icp.EventStore;
using Icp.Hosting.Messaging;
using Xunit;

namespace Icp.Indicators.Tests;

public sealed class RevisionTests(IndicatorsHost host) : IClassFixture<IndicatorsHost>, IAsyncLifetime
{
    private HttpClient Client => host.Client;

    public Task InitializeAsync() => ApiHelpers.SeedAsync(Client, "east", "west", "north");
    public Task DisposeAsync() => Task.CompletedTask;

    private static object Feed(string submissionId, string source, params (string Period, int Numerator, int Denominator)[] months) => new
    {
        source, submissionId,
        rows = months.Select(m => new { unitId = "east", indicatorId = "reablement", period = m.Period, numerator = m.Numerator, denominator = m.Denominator }),
    };

    [Fact]
    public async Task A_revision_arriving_after_the_original_counts_and_every_revision_stays_queryable()
    {
        await Client.PostAsJsonAsync("/api/v1/feeds", Feed("rev-1", "community-health-epr", ("2025-01", 40, 57), ("2025-02", 41, 60)))
            .ExpectAsync(HttpStatusCode.Accepted);

        using var late = new HttpRequestMessage(HttpMethod.Post, "/api/v1/feeds")
        {
            Content = JsonContent.Create(Feed("rev-2", "late-system", ("2025-01", 42, 57), ("2025-02", 41, 60))),
        };
        // A header naming a principal is not believed: the principal is the authenticated caller (here the operator).
        late.Headers.Add("X-Icp-Principal", "analyst-7");
        var accepted = await Client.SendAsync(late).ExpectAsync(HttpStatusCode.Accepted);
        Assert.Equal(2, accepted.GetProperty("rows").GetInt32());

        // Only the changed month is a revision.
        var status = await Client.GetAsync("/api/v1/feeds/rev-2").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal((2, 1, "operator"), (status.GetProperty("rows").GetInt32(), status.GetProperty("revisions").GetInt32(), status.GetProperty("principal").GetString()));

        var history = await Client.GetAsync("/api/v1/indicators/reablement/units/east/values/2025-01/history").ExpectAsync(HttpStatusCode.OK);
        var revisions = history.GetProperty("revisions").EnumerateArray().ToList();
        Assert.Equal([(1, 40.0, "community-health-epr", "rev-1"), (2, 42.0, "late-system", "rev-2")],
            revisions.Select(r => (r.GetProperty("revision").GetInt32(), r.GetProperty("numerator").GetDouble(), r.GetProperty("source").GetString(), r.GetProperty("submissionId").GetString())));
        Assert.Equal("operator", revisions[1].GetProperty("principal").GetString());
        Assert.True(revisions[1].GetProperty("recordedAt").GetDateTimeOffset() >= revisions[0].GetProperty("recordedAt").GetDateTimeOffset());
        Assert.Equal(42, history.GetProperty("current").GetProperty("numerator").GetDouble());

        var february = await Client.GetAsync("/api/v1/indicators/reablement/units/east/values/2025-02/history").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(1, february.GetProperty("revisions").GetArrayLength());

        // Replaying the original does not bring its older value back.
        await Client.PostAsJsonAsync("/api/v1/feeds", Feed("rev-1", "community-health-epr", ("2025-01", 40, 57), ("2025-02", 41, 60)))
            .ExpectAsync(HttpStatusCode.Accepted);
        var series = await Client.GetAsync("/api/v1/indicators/reablement/units/east/values").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal([("2025-01", 42.0), ("2025-02", 41.0)], series.EnumerateArray().Select(v => (v.GetProperty("period").GetString(), v.GetProperty("numerator").GetDouble())));
        // One event per submission that changed the series: rev-1 (two months) and rev-2 (January); the replay none.
        Assert.Equal(2, await host.ScalarAsync("select count(*) from mt_events where stream_id = 'series/reablement/east'"));

        await Client.GetAsync("/api/v1/indicators/reablement/units/east/values/2024-12/history").ExpectAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Concurrent_feeds_revising_the_same_series_are_all_stored_one_after_another()
    {
        var feeds = Enumerable.Range(1, 4).Select(i => new
        {
            source = $"system-{i}", submissionId = $"race-{i}",
            rows = new[] { new { unitId = "north", indicatorId = "referrals-in", period = "2025-05", value = 100 + i } },
        }).ToList();

        var answers = await Task.WhenAll(feeds.Select(f => Client.PostAsJsonAsync("/api/v1/feeds", f)));
        Assert.All(answers, a => Assert.Equal(HttpStatusCode.Accepted, a.StatusCode));

        // Four revisions on one stream, versions 1–4 with no gap, and the value that counts is the last one stored.
        var history = await Client.GetAsync("/api/v1/indicators/referrals-in/units/north/values/2025-05/history").ExpectAsync(HttpStatusCode.OK);
        var revisions = history.GetProperty("revisions").EnumerateArray().ToList();
        Assert.Equal([1L, 2L, 3L, 4L], revisions.Select(r => r.GetProperty("streamVersion").GetInt64()));
        Assert.Equal([101.0, 102.0, 103.0, 104.0], revisions.Select(r => r.GetProperty("value").GetDouble()).Order());
        var series = await Client.GetAsync("/api/v1/indicators/referrals-in/units/north/values").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(revisions[^1].GetProperty("value").GetDouble(), series.EnumerateArray().Single(v => v.GetProperty("period").GetString() == "2025-05").GetProperty("value").GetDouble());
    }

    [Fact]
    public async Task Values_kept_one_row_per_month_by_an_older_version_are_moved_into_series_rows_and_can_be_revised()
    {
        await ApiHelpers.SeedAsync(Client, "older");
        await Client.PostAsJsonAsync("/api/v1/feeds", new
        {
            source = "epr", submissionId = "old-layout-1",
            rows = new object[]
            {
                new { unitId = "older", indicatorId = "referrals-in", period = "2025-02", value = 12 },
                new { unitId = "older", indicatorId = "referrals-in", period = "2025-01", value = 10 },
            },
        }).ExpectAsync(HttpStatusCode.Accepted);
        var before = (await Client.GetAsync("/api/v1/indicators/referrals-in/units/older/values").ExpectAsync(HttpStatusCode.OK)).GetRawText();

        // Put the series back the way the older version kept it, then start-up's schema step runs again.
        await host.ScalarAsync("""
            create table current_values (indicator_id text not null, unit_id text not null, period text not null, value double precision,
                numerator double precision, denominator double precision, revision bigint not null, source text not null,
                submission_id text not null, recorded_at timestamptz not null default now(), primary key (indicator_id, unit_id, period));
            insert into current_values
            select indicator_id, unit_id, p, a, n, d, r, s, sub, rec
            from series_values, unnest(periods, amounts, numerators, denominators, revisions, sources, submission_ids, recorded_at)
                 as m (p, a, n, d, r, s, sub, rec)
            where unit_id = 'older' and indicator_id = 'referrals-in';
            delete from series_values where unit_id = 'older' and indicator_id = 'referrals-in';
            select 0;
            """);
        await new IndicatorsSchema().EnsureAsync(host.Db, CancellationToken.None);

        Assert.Equal(0, await host.ScalarAsync("select count(*) from pg_tables where tablename = 'current_values'"));
        Assert.Equal(before, (await Client.GetAsync("/api/v1/indicators/referrals-in/units/older/values").ExpectAsync(HttpStatusCode.OK)).GetRawText());
        await Client.PostAsJsonAsync("/api/v1/feeds", new
        {
            source = "epr", submissionId = "old-layout-2",
            rows = new[] { new { unitId = "older", indicatorId = "referrals-in", period = "2025-01", value = 11 } },
        }).ExpectAsync(HttpStatusCode.Accepted);
        var history = await Client.GetAsync("/api/v1/indicators/referrals-in/units/older/values/2025-01/history").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal([(1L, 10.0), (2L, 11.0)], history.GetProperty("revisions").EnumerateArray()
            .Select(r => (r.GetProperty("streamVersion").GetInt64(), r.GetProperty("value").GetDouble())));
    }

    [Fact]
    public async Task A_resubmission_after_a_failure_inside_the_transaction_finds_nothing_half_applied()
    {
        object feed = new
        {
            source = "epr", submissionId = "partial-1",
            rows = new[] { "2024-01", "2024-02", "2024-03" }.Select((p, i) => new { unitId = "west", indicatorId = "reablement", period = p, numerator = 10 + i, denominator = 20 }),
        };
        // Break the last write of the transaction: events and current values are written before it fails.
        await host.ScalarAsync("""
            create function refuse_write() returns trigger language plpgsql as $$ begin raise exception 'refused for the test'; end $$;
            create trigger refuse_completeness before insert on source_series for each row execute function refuse_write();
            select 0;
            """);
        try
        {
            using var failed = await Client.PostAsJsonAsync("/api/v1/feeds", feed);
            Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
        }
        finally
        {
            await host.ScalarAsync("drop trigger refuse_completeness on source_series; drop function refuse_write(); select 0");
        }
        Assert.Equal(0, await host.ScalarAsync("select count(*) from mt_events where stream_id in ('series/reablement/west', 'submission/epr/partial-1')"));
        Assert.Equal(0, await host.ScalarAsync("select coalesce(sum(cardinality(periods)), 0) from series_values where unit_id = 'west'"));
        Assert.Equal(0, await host.ScalarAsync("select count(*) from submissions where submission_id = 'partial-1'"));

        var accepted = await Client.PostAsJsonAsync("/api/v1/feeds", feed).ExpectAsync(HttpStatusCode.Accepted);
        Assert.Equal(3, accepted.GetProperty("rows").GetInt32());
        Assert.Equal(1, await host.ScalarAsync("select count(*) from mt_events where stream_id = 'series/reablement/west'")); // its three months
        Assert.Equal(3, await host.ScalarAsync("select coalesce(sum(cardinality(periods)), 0) from series_values where unit_id = 'west'"));
    }
}

public sealed class LargeFeedTests(IndicatorsHost host) : IClassFixture<IndicatorsHost>
{
    [Fact]
    public async Task A_feed_of_fifty_thousand_rows_is_accepted_in_one_request()
    {
        var units = Enumerable.Range(1, 20).Select(i => $"unit-{i:00}").ToArray();
        var indicators = Enumerable.Range(1, 10).Select(i => $"count-{i:00}").ToArray();
        foreach (var unit in units)
            await host.Client.PutAsJsonAsync($"/api/v1/units/{unit}", new { name = unit, kind = "team" }).ExpectAsync(HttpStatusCode.Created);
        foreach (var indicator in indicators)
            await host.Client.PutAsJsonAsync($"/api/v1/indicators/{indicator}", new { name = indicator, domain = "Test", measure = "count", improvement = "neutral" })
                .ExpectAsync(HttpStatusCode.Created);
        var months = Enumerable.Range(0, 250).Select(m => new DateOnly(2004, 1, 1).AddMonths(m).ToString("yyyy-MM")).ToArray();
        var rows = (from u in units from i in indicators from m in months select new { unitId = u, indicatorId = i, period = m, value = m.Length + u.Length }).ToList();
        Assert.Equal(50_000, rows.Count);

        var accepted = await host.Client.PostAsJsonAsync("/api/v1/feeds", new { source = "bulk", submissionId = "big-feed", rows }).ExpectAsync(HttpStatusCode.Accepted);
        Assert.Equal(50_000, accepted.GetProperty("rows").GetInt32());
        Assert.Equal(50_000, await host.ScalarAsync("select sum(cardinality(periods)) from series_values"));
        // One event per series, carrying its 250 months.
        Assert.Equal(200, await host.ScalarAsync("select count(*) from mt_events where type = 'IndicatorValuesRevisedV2'"));
        Assert.Equal(50_000, await host.ScalarAsync("select sum(jsonb_array_length(data->'months')) from mt_events where type = 'IndicatorValuesRevisedV2'"));
        Assert.Equal(200, await host.ScalarAsync("select count(*) from mt_streams where id like 'series/%'"));
    }
}

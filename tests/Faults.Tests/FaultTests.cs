using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Icp.TestSupport;
using Npgsql;
using Xunit;
using Xunit.Abstractions;

namespace Icp.Faults.Tests;

/// <summary>The platform as real processes, with 50 neighbourhoods to feed.</summary>
public sealed class FaultPlatform : IAsyncLifetime
{
    public const int Units = 50;

    public PlatformProcesses Processes { get; private set; } = null!;
    public HttpClient Gateway { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Processes = await PlatformProcesses.StartAsync("faults");
        Gateway = Operator.Client(Processes.Gateway.Url, TimeSpan.FromSeconds(120));
        for (var u = 0; u < Units; u++)
        {
            using var response = await Gateway.PutAsJsonAsync($"/api/v1/units/{UnitId(u)}", new { name = $"Unit {u}", kind = "neighbourhood" });
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        }
    }

    public static string UnitId(int u) => $"fu{u:00}";

    public async Task DisposeAsync()
    {
        Gateway.Dispose();
        await Processes.DisposeAsync();
    }
}

/// <summary>
/// Faults survived and timed: during a 50,000-row feed and a 6,000-step bulk referral upload, each write service and
/// the projection service is killed with SIGKILL and restarted, RabbitMQ is stopped for 10 s, PostgreSQL is
/// restarted. The client retries what failed with the same submission id, as a real sender would. Each time every
/// series and every referral must end exactly as submitted, value by value, stored once on both sides; the time from
/// the fault clearing to everything current is reported (in the test output and .data/faults-report.md), not
/// asserted. These tests restart the machine's shared servers, so deploy/test.sh runs them after every other test.
/// </summary>
[Trait("Category", "Faults")]
public sealed class FaultTests(FaultPlatform platform, ITestOutputHelper output) : IClassFixture<FaultPlatform>
{
    private const int Indicators = 10;
    private const int Months = 100;
    private const int Referrals = 2000;
    private static readonly TimeSpan CurrentWithin = TimeSpan.FromMinutes(5);

    [Fact]
    public Task No_fault() => RunAsync("none", "no fault (the baseline)", _ => Task.CompletedTask);

    [Fact]
    public Task The_indicators_service_is_killed_while_the_feed_is_stored() =>
        RunAsync("ind", "indicators killed (SIGKILL) mid-feed, restarted", _ => KillAndRestartAsync("indicators", 400));

    [Fact]
    public Task The_referrals_service_is_killed_while_the_upload_is_stored() =>
        RunAsync("ref", "referrals killed (SIGKILL) mid-upload, restarted", _ => KillAndRestartAsync("referrals", 300));

    [Fact]
    public Task The_projection_service_is_killed_while_it_applies_the_feed() =>
        RunAsync("proj", "projections killed (SIGKILL) while applying, restarted", _ => KillAndRestartAsync("projections", 3000));

    [Fact]
    public Task The_surveys_and_case_studies_services_are_killed() =>
        RunAsync("sc", "surveys and casestudies killed (SIGKILL), restarted", async _ =>
        {
            await KillAndRestartAsync("surveys", 200);
            await KillAndRestartAsync("casestudies", 0);
        });

    [Fact]
    public Task RabbitMQ_is_stopped_for_ten_seconds() =>
        RunAsync("mq", "RabbitMQ stopped for 10 s", async _ =>
        {
            await Task.Delay(1000);
            await Infrastructure.StopBrokerAsync();
            await Task.Delay(TimeSpan.FromSeconds(10));
            await Infrastructure.StartBrokerAsync();
        });

    [Fact]
    public Task RabbitMQ_is_stopped_while_the_projection_consumes() =>
        RunAsync("mq2", "RabbitMQ stopped for 10 s while the projection consumes", async _ =>
        {
            await Task.Delay(6000);
            await Infrastructure.StopBrokerAsync();
            await Task.Delay(TimeSpan.FromSeconds(10));
            await Infrastructure.StartBrokerAsync();
        });

    [Fact]
    public Task PostgreSQL_is_restarted() =>
        RunAsync("pg", "PostgreSQL restarted (fast shutdown)", async _ =>
        {
            await Task.Delay(500);
            await Infrastructure.RestartPostgresAsync();
        });

    private async Task KillAndRestartAsync(string service, int afterMs)
    {
        await Task.Delay(afterMs);
        var process = platform.Processes[service];
        await process.KillAsync();
        await Task.Delay(1000);
        process.Restart();
        await process.WaitUntilReadyAsync(timeoutSeconds: 120);
    }

    private sealed record Counter
    {
        public int Retries;
    }

    private async Task RunAsync(string key, string description, Func<string, Task> fault)
    {
        await PrepareIndicatorsAsync(key);
        var expectedValues = ExpectedValues(key);
        var expectedReferrals = ExpectedReferrals(key);
        var counter = new Counter();

        var started = Stopwatch.StartNew();
        var feed = SubmitUntilAcceptedAsync("/api/v1/feeds", FeedBody(key, expectedValues), counter);
        var bulk = SubmitUntilAcceptedAsync("/api/v1/referrals/bulk", BulkBody(key), counter);
        await fault(key);
        var cleared = started.Elapsed;
        await Task.WhenAll(feed, bulk);
        var accepted = started.Elapsed;

        await WaitUntilCurrentAsync(key, expectedValues.Count, expectedReferrals.Count);
        var current = started.Elapsed;
        await AssertExactlyAsSubmittedAsync(key, expectedValues, expectedReferrals);

        var line = $"| {description} | {cleared.TotalSeconds:0.0} | {accepted.TotalSeconds:0.0} | {counter.Retries} | " +
                   $"{(current - cleared).TotalSeconds:0.0} |";
        output.WriteLine(line);
        var report = Path.Combine(ServiceProcess.RepositoryRoot, ".data", "faults-report.md");
        Directory.CreateDirectory(Path.GetDirectoryName(report)!);
        await File.AppendAllTextAsync(report, line + "\n");
    }

    private async Task PrepareIndicatorsAsync(string key)
    {
        for (var i = 0; i < Indicators; i++)
        {
            using var response = await platform.Gateway.PutAsJsonAsync($"/api/v1/indicators/{IndicatorId(key, i)}",
                new { name = $"Fault indicator {i}", domain = "System flow", measure = "count", improvement = "neutral" });
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        }
    }

    private static string IndicatorId(string key, int i) => $"f{key}-i{i}";

    private static string Period(int m) => new DateOnly(2017, 1, 1).AddMonths(m).ToString("yyyy-MM", CultureInfo.InvariantCulture);

    private static Dictionary<(string Indicator, string Unit, string Period), double> ExpectedValues(string key)
    {
        var values = new Dictionary<(string, string, string), double>();
        for (var u = 0; u < FaultPlatform.Units; u++)
        for (var i = 0; i < Indicators; i++)
        for (var m = 0; m < Months; m++)
            values[(IndicatorId(key, i), FaultPlatform.UnitId(u), Period(m))] = (u * 7 + i * 13 + m * 3 + key.Length) % 200;
        return values;
    }

    private static string FeedBody(string key, Dictionary<(string Indicator, string Unit, string Period), double> values) =>
        JsonSerializer.Serialize(new
        {
            source = "fault-epr", submissionId = $"fault-{key}",
            rows = values.Select(v => new { unitId = v.Key.Unit, indicatorId = v.Key.Indicator, period = v.Key.Period, value = v.Value }),
        });

    private sealed record ExpectedReferral(string Id, string Unit, DateOnly Received, DateOnly Triaged, DateOnly Assessed);

    private static List<ExpectedReferral> ExpectedReferrals(string key) =>
        Enumerable.Range(0, Referrals).Select(r =>
        {
            var received = new DateOnly(2025, 1, 1).AddDays(r % 300);
            return new ExpectedReferral($"f{key}-r{r:0000}", FaultPlatform.UnitId(r % FaultPlatform.Units), received, received.AddDays(1),
                received.AddDays(1 + r % 20));
        }).ToList();

    private static string BulkBody(string key)
    {
        static string Day(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var rows = ExpectedReferrals(key).SelectMany(r => new object[]
        {
            new { referralId = r.Id, step = "received", date = Day(r.Received), unitId = r.Unit, source = "gp", destination = "district-nursing" },
            new { referralId = r.Id, step = "triaged", date = Day(r.Triaged), outcome = "accepted" },
            new { referralId = r.Id, step = "assessed", date = Day(r.Assessed) },
        });
        return JsonSerializer.Serialize(new { submissionId = $"fault-{key}", source = "fault-epr", rows });
    }

    // A sender's retry: the same body and submission id again until accepted. Anything but a fault (a 4xx) fails.
    private async Task SubmitUntilAcceptedAsync(string path, string body, Counter counter)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var response = await platform.Gateway.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));
                if (response.StatusCode == HttpStatusCode.Accepted) return;
                var status = (int)response.StatusCode;
                Assert.True(status >= 500, $"{path} answered {status}: {await response.Content.ReadAsStringAsync()}");
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // The process serving it died mid-request.
            }
            Interlocked.Increment(ref counter.Retries);
            if (deadline.Elapsed > TimeSpan.FromMinutes(3)) throw new TimeoutException($"{path} was never accepted.\n{platform.Processes.Diagnostics}");
            await Task.Delay(1000);
        }
    }

    private async Task<long> CountAsync(string service, string sql, string pattern)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var db = platform.Processes.OpenDatabase(service);
                await using var command = db.CreateCommand(sql);
                command.Parameters.Add(new() { Value = pattern });
                return (long)(await command.ExecuteScalarAsync())!;
            }
            catch (NpgsqlException) when (attempt < 30)
            {
                await Task.Delay(1000); // the database is restarting
            }
        }
    }

    private async Task WaitUntilCurrentAsync(string key, int values, int referrals)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var applied = await CountAsync("projections", "select count(*) from rm_values where indicator_id like $1", $"f{key}-%");
            var assessed = await CountAsync("projections",
                "select count(*) from rm_referrals where referral_id like $1 and assessed_on is not null", $"f{key}-%");
            if (applied == values && assessed == referrals) return;
            if (deadline.Elapsed > CurrentWithin)
                throw new TimeoutException($"After {CurrentWithin}: {applied} of {values} values and {assessed} of {referrals} referrals " +
                    $"current.\n{await ReadinessAsync()}\n{platform.Processes.Diagnostics}");
            await Task.Delay(500);
        }
    }

    // What each service says of itself (relay and read-model lag, quarantine): the first thing to read when one fails.
    private async Task<string> ReadinessAsync()
    {
        var lines = new List<string>();
        foreach (var (service, url) in platform.Processes.ServiceUrls)
        {
            try
            {
                using var http = Operator.Client(url, TimeSpan.FromSeconds(5));
                lines.Add($"{service}: {await http.GetStringAsync("/health/ready")}");
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                lines.Add($"{service}: not answering ({e.Message})");
            }
        }
        return string.Join('\n', lines);
    }

    private async Task AssertExactlyAsSubmittedAsync(string key, Dictionary<(string, string, string), double> values,
        List<ExpectedReferral> referrals)
    {
        await using var projections = platform.Processes.OpenDatabase("projections");
        await using (var command = projections.CreateCommand(
            "select indicator_id, unit_id, period, value, numerator, denominator from rm_values where indicator_id like $1"))
        {
            command.Parameters.Add(new() { Value = $"f{key}-%" });
            var seen = 0;
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                var at = (reader.GetString(0), reader.GetString(1), reader.GetString(2));
                Assert.True(values.TryGetValue(at, out var expected), $"Unexpected value {at}");
                Assert.Equal((expected, true, true), (reader.GetDouble(3), reader.IsDBNull(4), reader.IsDBNull(5)));
                seen++;
            }
            Assert.Equal(values.Count, seen);
        }
        await using (var command = projections.CreateCommand(
            "select referral_id, unit_id, received_on, triaged_on, outcome, assessed_on from rm_referrals where referral_id like $1"))
        {
            command.Parameters.Add(new() { Value = $"f{key}-%" });
            var byId = referrals.ToDictionary(r => r.Id);
            var seen = 0;
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                var r = byId[reader.GetString(0)];
                Assert.Equal((r.Unit, r.Received, r.Triaged, "accepted", r.Assessed), (reader.GetString(1), reader.GetFieldValue<DateOnly>(2),
                    reader.GetFieldValue<DateOnly>(3), reader.GetString(4), reader.GetFieldValue<DateOnly>(5)));
                seen++;
            }
            Assert.Equal(referrals.Count, seen);
        }

        // Stored once on each side: no revision written twice, no event received twice (one event per series).
        var series = FaultPlatform.Units * Indicators;
        // Every service keeps Marten's event tables; the projection service's streams are prefixed by the origin service.
        const string revisions = "select count(*) from mt_events where type = 'IndicatorValuesRevisedV2' and stream_id like $1";
        const string months =
            "select sum(jsonb_array_length(data->'months')) from mt_events where type = 'IndicatorValuesRevisedV2' and stream_id like $1";
        Assert.Equal(series, await CountAsync("indicators", revisions, $"series/f{key}-%"));
        Assert.Equal(series, await CountAsync("projections", revisions, $"indicators/series/f{key}-%"));
        Assert.Equal(values.Count, await CountAsync("indicators", months, $"series/f{key}-%"));
        Assert.Equal(values.Count, await CountAsync("projections", months, $"indicators/series/f{key}-%"));
        Assert.Equal(referrals.Count * 3,
            await CountAsync("referrals", "select count(*) from mt_events where stream_id like $1", $"referral/f{key}-%"));
        Assert.Equal(referrals.Count * 3, await CountAsync("projections",
            "select count(*) from mt_events where stream_id like $1", $"referrals/referral/f{key}-%"));
    }
}

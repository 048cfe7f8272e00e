using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Icp.TestSupport;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Icp.Spc.Benchmarks;

/// <summary>
/// Feed ingest load: the real indicators service in process (test server, no sockets) on the real PostgreSQL and
/// RabbitMQ (a database and virtual host of its own), fed 50,000-row submissions as JSON and CSV. A run is timed from
/// sending the request to the 202 answer, which comes after the transaction commits; between runs the outbox relay
/// drains, so it does not share the CPU with the next run. Usage: <c>Icp.Spc.Benchmarks --feed-ingest [runs]</c>.
/// </summary>
public static class FeedIngestLoad
{
    private const int Units = 50;
    private const int Months = 100;
    private static readonly string[] Indicators =
        ["staff-contacts", "referrals-in", "incidents", "safeguarding-alerts", "staff-caseload",
         "reablement", "fft-positive", "sickness-days", "contacts-seen", "reviews-completed"];

    public static async Task RunAsync(string[] args)
    {
        var runs = args.SkipWhile(a => a != "--feed-ingest").Skip(1).Select(a => int.TryParse(a, out var n) ? n : 0).FirstOrDefault(n => n > 0);
        if (runs == 0) runs = 3;
        var database = await TestInfrastructure.CreateDatabaseAsync("bench");
        var vhost = await TestInfrastructure.CreateVirtualHostAsync("bench");
        try
        {
            await using var factory = new OperatorFactory<IndicatorsApiMarker>().WithWebHostBuilder(builder =>
            {
                builder.UseContentRoot(AppContext.BaseDirectory);
                builder.UseSetting("Postgres:Database", database);
                builder.UseSetting("Postgres:Password", TestInfrastructure.PostgresPassword);
                builder.UseSetting("RabbitMq:VirtualHost", vhost);
                builder.UseSetting("RabbitMq:Username", TestInfrastructure.Username);
                builder.UseSetting("RabbitMq:Password", TestInfrastructure.RabbitPassword);
                builder.ConfigureLogging(l => l.SetMinimumLevel(LogLevel.Warning));
            });
            using var client = factory.CreateClient();
            client.Timeout = TimeSpan.FromMinutes(5);
            await using var db = NpgsqlDataSource.Create(TestInfrastructure.ConnectionString(database));
            Console.WriteLine($"PostgreSQL synchronous_commit = {await ScalarAsync(db, "show synchronous_commit")}, fsync = {await ScalarAsync(db, "show fsync")}");

            await Expect(client.PostAsync("/api/v1/indicators/default-catalogue", null), HttpStatusCode.OK);
            var unitSets = 2 * runs + 1;
            for (var u = 0; u < Units * unitSets; u++)
                await Expect(client.PutAsJsonAsync($"/api/v1/units/u{u:000}", new { name = $"Unit {u}", kind = "team" }), HttpStatusCode.Created);

            // Warm-up (JIT, connection pool) on a small feed of its own units.
            await PostAsync(client, Json(Rows(unitSet: 2 * runs, revision: 0).Take(2_000).ToList(), "warm-up"), "application/json", "warm-up");
            await DrainRelayAsync(db);

            Console.WriteLine($"Load average at start: {File.ReadAllText("/proc/loadavg").Trim()}");
            Console.WriteLine("| Run | Format | Rows | Revisions | Seconds | Rows/s | Allocated MB | Peak working set MB (rise) | Relay drain s |");
            Console.WriteLine("|---|---|---:|---:|---:|---:|---:|---:|---:|");
            for (var run = 0; run < runs; run++)
            {
                await MeasureAsync(client, db, run + 1, "JSON, new values", Json(Rows(run, 0).ToList(), $"json-{run}"), "application/json", $"json-{run}");
                await MeasureAsync(client, db, run + 1, "CSV, new values", Csv(Rows(runs + run, 0)), "text/csv", $"csv-{run}");
                await MeasureAsync(client, db, run + 1, "JSON, all revised", Json(Rows(run, run + 1).ToList(), $"rev-{run}"), "application/json", $"rev-{run}");
            }
            Console.WriteLine($"Load average at end: {File.ReadAllText("/proc/loadavg").Trim()}");
            // The first requests of a process run partly on unoptimised (tier-0) JIT code: reported apart from the rest.
            var steady = Results.Where(r => r.Run > 1).Select(r => r.RowsPerSecond).Order().ToList();
            var first = Results.Where(r => r.Run == 1).Select(r => r.RowsPerSecond).ToList();
            Console.WriteLine($"First run (cold process): {string.Join(", ", first.Select(x => x.ToString("N0")))} rows/s");
            if (steady.Count > 0)
                Console.WriteLine($"Runs 2–{runs} (warm): median {steady[steady.Count / 2]:N0} rows/s, min {steady[0]:N0}, max {steady[^1]:N0}");
            Console.WriteLine($"Stored: {await ScalarAsync(db, "select count(*) from mt_events")} events, {await ScalarAsync(db, "select sum(cardinality(periods)) from series_values")} current values.");
        }
        finally
        {
            await TestInfrastructure.DropDatabaseAsync(database);
            await TestInfrastructure.DeleteVirtualHostAsync(vhost);
        }
    }

    private sealed record Row(string UnitId, string IndicatorId, string Period, double? Value, double? Numerator, double? Denominator);

    // Realistic levels: counts 20–400 a month, a mean caseload, proportions over denominators 20–400. A revision moves every value.
    private static IEnumerable<Row> Rows(int unitSet, int revision)
    {
        var random = new Random(1000 * unitSet + revision);
        for (var u = 0; u < Units; u++)
        {
            var unitId = $"u{unitSet * Units + u:000}";
            foreach (var indicator in Indicators)
                for (var m = 0; m < Months; m++)
                {
                    var period = new DateOnly(2017, 1, 1).AddMonths(m).ToString("yyyy-MM");
                    if (indicator == "staff-caseload") yield return new(unitId, indicator, period, Math.Round(15 + 10 * random.NextDouble() + revision, 1), null, null);
                    else if (Array.IndexOf(Indicators, indicator) < 4) yield return new(unitId, indicator, period, random.Next(20, 400) + revision, null, null);
                    else
                    {
                        var denominator = random.Next(20, 400) + revision;
                        yield return new(unitId, indicator, period, null, (int)(denominator * (0.5 + 0.4 * random.NextDouble())), denominator);
                    }
                }
        }
    }

    private static byte[] Json(List<Row> rows, string submissionId) =>
        JsonSerializer.SerializeToUtf8Bytes(new { source = "load", submissionId, rows }, new JsonSerializerOptions(JsonSerializerDefaults.Web));

    private static byte[] Csv(IEnumerable<Row> rows)
    {
        var text = new StringBuilder("unit_id,indicator_id,period,value,numerator,denominator\n");
        foreach (var r in rows) text.Append($"{r.UnitId},{r.IndicatorId},{r.Period},{r.Value},{r.Numerator},{r.Denominator}\n");
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    private static readonly List<(int Run, double RowsPerSecond)> Results = [];

    private static async Task MeasureAsync(HttpClient client, NpgsqlDataSource db, int run, string kind, byte[] body, string contentType, string submissionId)
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        var baseline = process.WorkingSet64;
        var peak = baseline;
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            using var p = Process.GetCurrentProcess();
            while (!sampling.IsCancellationRequested)
            {
                p.Refresh();
                peak = Math.Max(peak, p.WorkingSet64);
                try { await Task.Delay(5, sampling.Token); } catch (OperationCanceledException) { }
            }
        });
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var clock = Stopwatch.StartNew();
        var (rows, revisions) = await PostAsync(client, body, contentType, submissionId);
        var seconds = clock.Elapsed.TotalSeconds;
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        sampling.Cancel();
        await sampler;
        var drain = Stopwatch.StartNew();
        await DrainRelayAsync(db);
        Results.Add((run, rows / seconds));
        Console.WriteLine($"| {run} | {kind} | {rows:N0} | {revisions:N0} | {seconds:F2} | {rows / seconds:N0} | {allocated / 1048576.0:N0} | " +
                          $"{peak / 1048576.0:N0} (+{(peak - baseline) / 1048576.0:N0}) | {drain.Elapsed.TotalSeconds:F1} |");
    }

    private static async Task<(int Rows, int Revisions)> PostAsync(HttpClient client, byte[] body, string contentType, string submissionId)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new(contentType);
        var url = contentType == "text/csv" ? $"/api/v1/feeds?source=load&submissionId={submissionId}" : "/api/v1/feeds";
        using var response = await client.PostAsync(url, content);
        var text = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.Accepted) throw new InvalidOperationException($"{(int)response.StatusCode}: {text[..Math.Min(text.Length, 2000)]}");
        var status = await client.GetFromJsonAsync<JsonElement>($"/api/v1/feeds/{submissionId}");
        return (status.GetProperty("rows").GetInt32(), status.GetProperty("revisions").GetInt32());
    }

    private static async Task DrainRelayAsync(NpgsqlDataSource db)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromMinutes(5))
        {
            var behind = await ScalarAsync(db, """
                select count(*) from mt_events where seq_id >
                  coalesce((select max(last_seq_id) from mt_event_progression where name like 'outbox-relay:%'), 0)
                """);
            if (behind == "0") return;
            await Task.Delay(100);
        }
        throw new TimeoutException("The outbox relay did not drain within 5 minutes.");
    }

    private static async Task<string> ScalarAsync(NpgsqlDataSource db, string sql)
    {
        await using var command = db.CreateCommand(sql);
        return Convert.ToString(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture) ?? "";
    }

    private static async Task Expect(Task<HttpResponseMessage> call, HttpStatusCode status)
    {
        using var response = await call;
        if (response.StatusCode != status) throw new InvalidOperationException($"{response.RequestMessage?.RequestUri}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }
}

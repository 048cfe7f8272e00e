using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Icp.TestSupport;

namespace Icp.Spc.Benchmarks;

/// <summary>
/// Freshness under steady load: the projection, indicators and gateway processes (Release builds) on the real
/// PostgreSQL and RabbitMQ. Feeds arrive at a fixed rate through the gateway; for each, the time from its 202 until the
/// SPC chart of one of its rows shows the new value (polled every 10 ms through the gateway) is one sample.
/// Usage: <c>Icp.Spc.Benchmarks --freshness [seconds per level]</c>.
/// </summary>
public static class FreshnessLoad
{
    private const int Units = 40, IndicatorCount = 10, Months = 24, RowsPerFeed = 20;

    public static async Task RunAsync(string[] args)
    {
        var seconds = args.SkipWhile(a => a != "--freshness").Skip(1).Select(a => int.TryParse(a, out var n) ? n : 0).FirstOrDefault(n => n > 0);
        if (seconds == 0) seconds = 30;
        var runId = Guid.NewGuid().ToString("N")[..8];
        var vhost = await TestInfrastructure.CreateVirtualHostAsync("fresh");
        var databases = new List<string>();
        var processes = new List<ServiceProcess>();
        try
        {
            var gatewayEnvironment = new Dictionary<string, string>();
            foreach (var (name, directory, assembly) in new[]
                     { ("projections", "services/Projections", "Icp.Projections"), ("indicators", "services/Indicators", "Icp.Indicators") })
            {
                var database = $"icp_fresh_{runId}_{name}";
                databases.Add(database);
                var process = ServiceProcess.Start(name, directory, assembly,
                    new Dictionary<string, string> { ["Postgres__Database"] = database, ["RabbitMq__VirtualHost"] = vhost });
                processes.Add(process);
                await process.WaitUntilReadyAsync();
                gatewayEnvironment[$"ReverseProxy__Clusters__{name}__Destinations__primary__Address"] = process.Url.ToString();
            }
            var gateway = ServiceProcess.Start("gateway", "gateway/Gateway", "Icp.Gateway", gatewayEnvironment);
            processes.Add(gateway);
            await gateway.WaitUntilReadyAsync("/health/live");
            using var http = Operator.Client(gateway.Url, TimeSpan.FromSeconds(60));

            for (var u = 0; u < Units; u++)
                (await http.PutAsJsonAsync($"/api/v1/units/u{u:00}", new { name = $"Unit {u}", kind = "neighbourhood" })).EnsureSuccessStatusCode();
            for (var i = 0; i < IndicatorCount; i++)
                (await http.PutAsJsonAsync($"/api/v1/indicators/i{i}", new { name = $"Indicator {i}", domain = "Load", measure = "count", improvement = "increase" })).EnsureSuccessStatusCode();
            var cells = (from u in Enumerable.Range(0, Units) from i in Enumerable.Range(0, IndicatorCount) from m in Enumerable.Range(0, Months)
                         select (Unit: $"u{u:00}", Indicator: $"i{i}", Period: new DateOnly(2023, 1, 1).AddMonths(m).ToString("yyyy-MM"))).ToArray();
            var history = cells.Select(c => new { unitId = c.Unit, indicatorId = c.Indicator, period = c.Period, value = 100 }).ToArray();
            (await http.PostAsJsonAsync("/api/v1/feeds", new { source = "load", submissionId = $"history-{runId}", rows = history })).EnsureSuccessStatusCode();
            await WaitForValueAsync(http, cells[^1], 100, TimeSpan.FromMinutes(2));

            Console.WriteLine($"Load average at start: {File.ReadAllText("/proc/loadavg").Trim()}");
            Console.WriteLine("| Feeds/s | Rows/s | Samples | p50 ms | p95 ms | p99 ms | max ms | missed |");
            Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|");
            var next = 0;
            var value = 1000;
            foreach (var feedsPerSecond in new[] { 2, 5, 10, 25 })
            {
                var latencies = new ConcurrentBag<double>();
                var missed = 0;
                var tasks = new List<Task>();
                var clock = Stopwatch.StartNew();
                for (var k = 0; clock.Elapsed < TimeSpan.FromSeconds(seconds); k++)
                {
                    var due = TimeSpan.FromSeconds(k / (double)feedsPerSecond);
                    if (due > clock.Elapsed) await Task.Delay(due - clock.Elapsed);
                    var rows = Enumerable.Range(0, RowsPerFeed).Select(_ => (Cell: cells[next++ % cells.Length], Value: value++)).ToList();
                    var submission = $"load-{runId}-{feedsPerSecond}-{k}";
                    tasks.Add(Task.Run(async () =>
                    {
                        var body = new
                        {
                            source = "load", submissionId = submission,
                            rows = rows.Select(r => new { unitId = r.Cell.Unit, indicatorId = r.Cell.Indicator, period = r.Cell.Period, value = r.Value }),
                        };
                        (await http.PostAsJsonAsync("/api/v1/feeds", body)).EnsureSuccessStatusCode();
                        var accepted = Stopwatch.GetTimestamp();
                        if (await WaitForValueAsync(http, rows[0].Cell, rows[0].Value, TimeSpan.FromSeconds(30)))
                            latencies.Add(Stopwatch.GetElapsedTime(accepted).TotalMilliseconds);
                        else
                            Interlocked.Increment(ref missed);
                    }));
                }
                await Task.WhenAll(tasks);
                var sorted = latencies.Order().ToArray();
                double Percentile(double p) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
                Console.WriteLine($"| {feedsPerSecond} | {feedsPerSecond * RowsPerFeed} | {sorted.Length} | {Percentile(0.5):F0} | {Percentile(0.95):F0} | " +
                                  $"{Percentile(0.99):F0} | {(sorted.Length == 0 ? double.NaN : sorted[^1]):F0} | {missed} |");
            }
            Console.WriteLine($"Load average at end: {File.ReadAllText("/proc/loadavg").Trim()}");
        }
        finally
        {
            foreach (var process in processes) await process.DisposeAsync();
            foreach (var database in databases) await TestInfrastructure.DropDatabaseAsync(database);
            await TestInfrastructure.DeleteVirtualHostAsync(vhost);
        }
    }

    /// <summary>Polls the chart every 10 ms until the month shows the value; false when it does not within the time.</summary>
    private static async Task<bool> WaitForValueAsync(HttpClient http, (string Unit, string Indicator, string Period) cell, double expected, TimeSpan within)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < within)
        {
            using var response = await http.GetAsync($"/api/v1/spc/{cell.Indicator}/{cell.Unit}");
            if (response.IsSuccessStatusCode)
            {
                var chart = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
                foreach (var point in chart.GetProperty("points").EnumerateArray())
                    if (point.GetProperty("period").GetString() == cell.Period
                        && point.GetProperty("value") is { ValueKind: JsonValueKind.Number } v && v.GetDouble() == expected)
                        return true;
            }
            await Task.Delay(10);
        }
        return false;
    }
}

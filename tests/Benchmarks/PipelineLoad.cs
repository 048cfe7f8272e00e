using Icp.TestSupport;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Icp.Spc.Benchmarks;

/// <summary>
/// The whole pipeline on the running platform (deploy/run.sh), from outside, through the gateway: a 50,000-row feed
/// (50 units × 10 indicators × 100 months) is posted; the accept time is until its 202, and "current" is until every
/// one of its 500 SPC charts, read through the gateway, shows the feed's value for its last month. The client watches
/// as the web application does: it follows the live-updates stream (<c>GET /api/v1/stream</c>) and reads a chart when
/// the stream says it changed (again until it shows the value; a chart the stream has not named within 5 s is read
/// anyway). Polling all 500 charts instead (<c>--poll</c>) keeps both cores busy answering the observer, which slows
/// the pipeline it watches: on the same platform, a median 2.7 s against 1.7 s. Each run revises every value, so every series changes. Usage:
/// <c>Icp.Spc.Benchmarks --pipeline [runs] [gateway url] [--poll]</c> (<c>--poll</c>: the polling observer).
/// </summary>
public static class PipelineLoad
{
    private const int Units = 50, IndicatorCount = 10, Months = 100;

    public static async Task RunAsync(string[] args)
    {
        var rest = args.SkipWhile(a => a != "--pipeline").Skip(1).ToArray();
        var runs = rest.Select(a => int.TryParse(a, out var n) ? n : 0).FirstOrDefault(n => n > 0);
        if (runs == 0) runs = 6;
        var gateway = rest.FirstOrDefault(a => a.StartsWith("http", StringComparison.Ordinal)) ?? "http://127.0.0.1:8080";
        using var http = Operator.Client(new Uri(gateway), TimeSpan.FromMinutes(5));
        var runId = Guid.NewGuid().ToString("N")[..6];

        for (var u = 0; u < Units; u++)
            (await http.PutAsJsonAsync($"/api/v1/units/pl{runId}-u{u:00}", new { name = $"Load unit {u}", kind = "team" }))
                .EnsureSuccessStatusCode();
        for (var i = 0; i < IndicatorCount; i++)
            (await http.PutAsJsonAsync($"/api/v1/indicators/pl{runId}-i{i}",
                new { name = $"Load indicator {i}", domain = "Load", measure = "count", improvement = "increase" })).EnsureSuccessStatusCode();
        var series = (from u in Enumerable.Range(0, Units) from i in Enumerable.Range(0, IndicatorCount)
                      select (Unit: $"pl{runId}-u{u:00}", Indicator: $"pl{runId}-i{i}")).ToArray();
        var periods = Enumerable.Range(0, Months).Select(m => new DateOnly(2018, 1, 1).AddMonths(m).ToString("yyyy-MM")).ToArray();

        Console.WriteLine($"Gateway {gateway}; load average at start: {File.ReadAllText("/proc/loadavg").Trim()}");
        var poll = args.Contains("--poll");
        using var stream = poll ? null : await ChangeStream.OpenAsync(gateway);
        Console.WriteLine($"Observer: {(poll ? "polling every chart" : "live-updates stream")}");
        Console.WriteLine("| Run | Rows | Accepted s | Rows/s | 202 → every chart current s |");
        Console.WriteLine("|---:|---:|---:|---:|---:|");
        var accepted = new List<double>();
        var current = new List<double>();
        for (var run = 1; run <= runs; run++)
        {
            var value = 100 + run;
            var rows = (from s in series from p in periods
                        select new { unitId = s.Unit, indicatorId = s.Indicator, period = p, value }).ToArray();
            var body = JsonSerializer.SerializeToUtf8Bytes(new { source = "load", submissionId = $"pl-{runId}-{run}", rows });
            var clock = Stopwatch.StartNew();
            using var content = new ByteArrayContent(body) { Headers = { ContentType = new("application/json") } };
            stream?.Clear();
            using var response = await http.PostAsync("/api/v1/feeds", content);
            if (response.StatusCode != HttpStatusCode.Accepted)
                throw new InvalidOperationException($"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            var acceptSeconds = clock.Elapsed.TotalSeconds;
            clock.Restart();
            if (stream is null) await WaitUntilCurrentAsync(http, series, periods[^1], value);
            else await stream.WaitUntilCurrentAsync(http, series, periods[^1], value);
            var currentSeconds = clock.Elapsed.TotalSeconds;
            Console.WriteLine($"| {run} | {rows.Length:N0} | {acceptSeconds:0.00} | {rows.Length / acceptSeconds:N0} | {currentSeconds:0.00} |");
            if (run > 1) (accepted, current) = ([.. accepted, acceptSeconds], [.. current, currentSeconds]);
        }
        accepted.Sort();
        current.Sort();
        if (accepted.Count == 0) return;
        Console.WriteLine($"Warm runs (2–{runs}): accept median {accepted[accepted.Count / 2]:0.00} s " +
            $"({Units * IndicatorCount * Months / accepted[accepted.Count / 2]:N0} rows/s); " +
            $"202 → current median {current[current.Count / 2]:0.00} s, p95 {current[(int)Math.Ceiling(0.95 * current.Count) - 1]:0.00} s");
    }

    // Polls the charts that are not yet current, 16 at a time, until none is left.
    private static async Task WaitUntilCurrentAsync(HttpClient http, (string Unit, string Indicator)[] series, string period,
        double value)
    {
        var pending = new ConcurrentDictionary<(string, string), bool>(series.Select(s => KeyValuePair.Create(s, true)));
        var deadline = Stopwatch.StartNew();
        while (!pending.IsEmpty)
        {
            if (deadline.Elapsed > TimeSpan.FromMinutes(5)) throw new TimeoutException($"{pending.Count} charts not current.");
            await Parallel.ForEachAsync(pending.Keys.ToArray(), new ParallelOptions { MaxDegreeOfParallelism = 16 },
                async (s, ct) =>
                {
                    if (await ShowsAsync(http, s, period, value, ct)) pending.TryRemove(s, out _);
                });
            if (!pending.IsEmpty) await Task.Delay(50);
        }
    }

    /// <summary>Whether the chart, read through the gateway, shows <paramref name="value"/> as its last month.</summary>
    public static async Task<bool> ShowsAsync(HttpClient http, (string Unit, string Indicator) s, string period, double value,
        CancellationToken ct)
    {
        using var response = await http.GetAsync($"/api/v1/spc/{s.Indicator}/{s.Unit}", ct);
        if (!response.IsSuccessStatusCode) return false;
        var chart = await response.Content.ReadFromJsonAsync<JsonElement>(ct);
        var last = chart.GetProperty("points").EnumerateArray().LastOrDefault();
        return last.ValueKind == JsonValueKind.Object && last.GetProperty("period").GetString() == period
            && last.GetProperty("value").GetDouble() == value;
    }
}

/// <summary>The live-updates stream, read in the background: which charts it has said changed since the last clear.</summary>
public sealed class ChangeStream : IDisposable
{
    private readonly HttpClient _http;
    private readonly CancellationTokenSource _stop = new();
    private readonly System.Threading.Channels.Channel<(string Unit, string Indicator)> _named =
        System.Threading.Channels.Channel.CreateUnbounded<(string, string)>();

    private ChangeStream(HttpClient http) => _http = http;

    public static async Task<ChangeStream> OpenAsync(string gateway)
    {
        var stream = new ChangeStream(Operator.Client(new Uri(gateway), Timeout.InfiniteTimeSpan));
        var response = await stream._http.GetAsync("/api/v1/stream", HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        _ = Task.Run(async () =>
        {
            while (await reader.ReadLineAsync(stream._stop.Token) is { } line)
            {
                if (!line.StartsWith("data: ", StringComparison.Ordinal)) continue;
                using var changes = JsonDocument.Parse(line["data: ".Length..]);
                if (!changes.RootElement.TryGetProperty("charts", out var charts)) continue;
                foreach (var chart in charts.EnumerateArray())
                    stream._named.Writer.TryWrite((chart.GetProperty("unitId").GetString()!,
                        chart.GetProperty("indicatorId").GetString()!));
            }
        });
        return stream;
    }

    public void Clear()
    {
        while (_named.Reader.TryRead(out _)) { }
    }

    /// <summary>Reads each chart the stream names (8 at a time) until every one of <paramref name="series"/> is current.</summary>
    public async Task WaitUntilCurrentAsync(HttpClient http, (string Unit, string Indicator)[] series, string period, double value)
    {
        var pending = new ConcurrentDictionary<(string, string), bool>(series.Select(s => KeyValuePair.Create(s, true)));
        var clock = Stopwatch.StartNew();
        var due = System.Threading.Channels.Channel.CreateUnbounded<(string Unit, string Indicator)>();
        // A chart the stream has not named within 5 s is read anyway, so a lost message cannot stall the run.
        _ = Task.Delay(TimeSpan.FromSeconds(5)).ContinueWith(_ => { foreach (var s in pending.Keys) due.Writer.TryWrite(s); });
        using var done = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        var forwarding = Task.Run(async () =>
        {
            await foreach (var s in _named.Reader.ReadAllAsync(done.Token))
                if (pending.ContainsKey(s)) due.Writer.TryWrite(s);
        });
        await Parallel.ForEachAsync(Enumerable.Range(0, 8), async (worker, ct) =>
        {
            while (!pending.IsEmpty)
            {
                if (clock.Elapsed > TimeSpan.FromMinutes(5)) throw new TimeoutException($"{pending.Count} charts not current.");
                using var wait = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
                (string, string) s;
                try { s = await due.Reader.ReadAsync(wait.Token); }
                catch (OperationCanceledException) { continue; }
                if (!pending.ContainsKey(s)) continue;
                if (await PipelineLoad.ShowsAsync(http, s, period, value, ct)) pending.TryRemove(s, out _);
                else _ = Task.Delay(50).ContinueWith(_ => due.Writer.TryWrite(s));
            }
        });
        done.Cancel();
        try { await forwarding; }
        catch (OperationCanceledException) { }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _http.Dispose();
    }
}

using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Icp.TestSupport;

namespace Icp.Spc.Benchmarks;

/// <summary>
/// A bulk referral upload on the running platform (deploy/run.sh), through the gateway: 50,000 lifecycle steps
/// (12,500 referrals in 10 new units, each received, triaged as accepted, assessed 7 days after referral and started 3
/// days after that, spread over the twelve months of 2019) in one <c>POST /api/v1/referrals/bulk</c>. The accept time
/// is until its 202; "current" is until every indicator derived from them, read through the gateway, shows them for
/// every unit: referrals in (the December count), inappropriate (0 of December's triaged), days to assessment (7),
/// days to start (3) and caseload (every referral started and none discharged). Usage:
/// <c>Icp.Spc.Benchmarks --referral-bulk [runs] [gateway url]</c>.
/// </summary>
public static class ReferralBulkLoad
{
    private const int Units = 10, ReferralsPerUnit = 1_250;

    public static async Task RunAsync(string[] args)
    {
        var rest = args.SkipWhile(a => a != "--referral-bulk").Skip(1).ToArray();
        var runs = rest.Select(a => int.TryParse(a, out var n) ? n : 0).FirstOrDefault(n => n > 0);
        if (runs == 0) runs = 6;
        var gateway = rest.FirstOrDefault(a => a.StartsWith("http", StringComparison.Ordinal)) ?? "http://127.0.0.1:8080";
        using var http = Operator.Client(new Uri(gateway), TimeSpan.FromMinutes(5));

        Console.WriteLine($"Gateway {gateway}; load average at start: {File.ReadAllText("/proc/loadavg").Trim()}");
        Console.WriteLine("| Run | Steps | Accepted s | Steps/s | 202 → every derived indicator current s |");
        Console.WriteLine("|---:|---:|---:|---:|---:|");
        var current = new List<double>();
        for (var run = 1; run <= runs; run++)
        {
            var runId = Guid.NewGuid().ToString("N")[..6];
            var units = Enumerable.Range(0, Units).Select(u => $"rb{runId}-u{u}").ToArray();
            foreach (var unit in units)
                (await http.PutAsJsonAsync($"/api/v1/units/{unit}", new { name = $"Referral load {unit}", kind = "neighbourhood" }))
                    .EnsureSuccessStatusCode();
            var rows = new List<object>(Units * ReferralsPerUnit * 4);
            foreach (var unit in units)
                for (var i = 0; i < ReferralsPerUnit; i++)
                {
                    var id = $"{unit}-r{i}";
                    var received = new DateOnly(2019, 1 + i % 12, 1 + i % 17);
                    rows.Add(new { referralId = id, step = "received", date = Day(received), unitId = unit, source = "gp",
                        destination = "district-nursing" });
                    rows.Add(new { referralId = id, step = "triaged", date = Day(received.AddDays(1)), outcome = "accepted" });
                    rows.Add(new { referralId = id, step = "assessed", date = Day(received.AddDays(7)) });
                    rows.Add(new { referralId = id, step = "service_started", date = Day(received.AddDays(10)) });
                }
            var body = JsonSerializer.SerializeToUtf8Bytes(new { submissionId = $"rb-{runId}", source = "load", rows });

            var clock = Stopwatch.StartNew();
            using var content = new ByteArrayContent(body) { Headers = { ContentType = new("application/json") } };
            using var response = await http.PostAsync("/api/v1/referrals/bulk", content);
            if (response.StatusCode != HttpStatusCode.Accepted)
                throw new InvalidOperationException($"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            var acceptSeconds = clock.Elapsed.TotalSeconds;
            clock.Restart();
            var december = Enumerable.Range(0, ReferralsPerUnit).Count(i => i % 12 == 11);
            await WaitUntilAsync(units, u => ShowsUploadAsync(http, u, december, ReferralsPerUnit));
            var currentSeconds = clock.Elapsed.TotalSeconds;
            Console.WriteLine($"| {run} | {rows.Count:N0} | {acceptSeconds:0.00} | {rows.Count / acceptSeconds:N0} | {currentSeconds:0.00} |");
            if (run > 1) current.Add(currentSeconds);
        }
        current.Sort();
        if (current.Count > 0)
            Console.WriteLine($"Warm runs (2–{runs}): 202 → current median {current[current.Count / 2]:0.00} s, " +
                $"max {current[^1]:0.00} s");
    }

    private static string Day(DateOnly date) => date.ToString("yyyy-MM-dd");

    // Polls the units not yet as expected (4 at a time, 50 ms apart) until none is left.
    private static async Task WaitUntilAsync(string[] units, Func<string, Task<bool>> expected)
    {
        var pending = units.ToList();
        var deadline = Stopwatch.StartNew();
        while (pending.Count > 0)
        {
            if (deadline.Elapsed > TimeSpan.FromMinutes(5)) throw new TimeoutException($"{pending.Count} units not current.");
            var done = new System.Collections.Concurrent.ConcurrentBag<string>();
            await Parallel.ForEachAsync(pending, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (u, _) =>
            {
                if (await expected(u)) done.Add(u);
            });
            pending.RemoveAll(done.Contains);
            if (pending.Count > 0) await Task.Delay(50);
        }
    }

    private static async Task<bool> ShowsUploadAsync(HttpClient http, string unit, int december, int caseload) =>
        await LastAsync(http, "referrals.in", unit) is ("2019-12", var n) && n == december
            && await LastAsync(http, "referrals.inappropriate", unit) is ("2019-12", 0)
            && await LastAsync(http, "referrals.days-to-assessment", unit) is (_, 7)
            && await LastAsync(http, "referrals.days-to-start", unit) is (_, 3)
            && await LastAsync(http, "referrals.caseload", unit) is (_, var c) && c == caseload;

    private static async Task<(string? Period, double? Value)> LastAsync(HttpClient http, string indicator, string unit)
    {
        using var response = await http.GetAsync($"/api/v1/spc/{indicator}/{unit}");
        if (!response.IsSuccessStatusCode) return (null, null);
        var chart = await response.Content.ReadFromJsonAsync<JsonElement>();
        var last = chart.GetProperty("points").EnumerateArray().LastOrDefault();
        if (last.ValueKind != JsonValueKind.Object) return (null, null);
        return (last.GetProperty("period").GetString(),
            last.GetProperty("value").ValueKind == JsonValueKind.Number ? last.GetProperty("value").GetDouble() : null);
    }
}

using System.Diagnostics;
using Icp.TestSupport;
using Npgsql;

namespace Icp.Spc.Benchmarks;

/// <summary>
/// The programme overview at national scale: the projection service (a Release process on the real PostgreSQL) over a
/// read model holding 42 systems of 1,500 neighbourhoods in all, 100 indicators and a kept overview cell for every one
/// of the 150,000 series (written straight into the tables: this measures reading the overview, not building it; the
/// pipeline benchmark measures the cells being kept as feeds arrive). Times, over 20 requests each after 3 warm-ups:
/// the first page of 100 units, one system's units, and every unit at once. Usage: <c>Icp.Spc.Benchmarks --dashboard</c>.
/// </summary>
public static class DashboardLoad
{
    private const int Systems = 42, Units = 1500, Indicators = 100;

    public static async Task RunAsync()
    {
        var runId = Guid.NewGuid().ToString("N")[..8];
        var database = $"icp_dash_{runId}";
        var vhost = await TestInfrastructure.CreateVirtualHostAsync("dash");
        ServiceProcess? projections = null;
        try
        {
            projections = ServiceProcess.Start("projections", "services/Projections", "Icp.Projections",
                new Dictionary<string, string> { ["Postgres__Database"] = database, ["RabbitMq__VirtualHost"] = vhost });
            await projections.WaitUntilReadyAsync();
            await using (var db = NpgsqlDataSource.Create(TestInfrastructure.ConnectionString(database)))
            await using (var seed = db.CreateCommand(SeedSql))
            {
                seed.CommandTimeout = 300;
                await seed.ExecuteNonQueryAsync();
            }
            using var http = Operator.Client(projections.Url, TimeSpan.FromMinutes(2));
            Console.WriteLine($"{Units:N0} units in {Systems} systems × {Indicators} indicators = {Units * Indicators:N0} cells; " +
                $"load average {File.ReadAllText("/proc/loadavg").Trim()}");
            Console.WriteLine("| Request | Units | Bytes | p50 ms | p95 ms | max ms |");
            Console.WriteLine("|---|---:|---:|---:|---:|---:|");
            await MeasureAsync(http, "first page (pageSize=100)", "/api/v1/dashboard?pageSize=100");
            await MeasureAsync(http, "page 8 (pageSize=100)", "/api/v1/dashboard?page=8&pageSize=100");
            await MeasureAsync(http, "one system (`?system=sys-07`)", "/api/v1/dashboard?system=sys-07");
            await MeasureAsync(http, "every unit, no paging", "/api/v1/dashboard", samples: 5);
        }
        finally
        {
            if (projections is not null) await projections.DisposeAsync();
            await TestInfrastructure.DropDatabaseAsync(database);
            await TestInfrastructure.DeleteVirtualHostAsync(vhost);
        }
    }

    private static async Task MeasureAsync(HttpClient http, string name, string path, int samples = 20)
    {
        long bytes = 0;
        var units = 0;
        for (var i = 0; i < 3; i++) await http.GetByteArrayAsync(path);
        var times = new List<double>();
        for (var i = 0; i < samples; i++)
        {
            var clock = Stopwatch.StartNew();
            var body = await http.GetByteArrayAsync(path);
            times.Add(clock.Elapsed.TotalMilliseconds);
            bytes = body.Length;
            units = System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("units").GetArrayLength();
        }
        times.Sort();
        Console.WriteLine($"| {name} | {units:N0} | {bytes:N0} | {times[times.Count / 2]:0} | " +
            $"{times[(int)Math.Ceiling(0.95 * times.Count) - 1]:0} | {times[^1]:0} |");
    }

    // 1,500 neighbourhoods under 42 systems, the first of each system its intervention unit; 100 indicators; per
    // series 36 months to last month, with icons and signals varying by series.
    private static readonly string SeedSql = $"""
        insert into rm_units (unit_id, data, source_version)
        select format('sys-%s', lpad(s::text, 2, '0')),
               jsonb_build_object('unitId', format('sys-%s', lpad(s::text, 2, '0')), 'name', format('System %s', s),
                   'kind', 'system', 'parentId', null, 'role', 'none', 'goLive', null), 1
        from generate_series(1, {Systems}) s;
        insert into rm_units (unit_id, data, source_version)
        select format('n%s', lpad(u::text, 4, '0')),
               jsonb_build_object('unitId', format('n%s', lpad(u::text, 4, '0')), 'name', format('Neighbourhood %s', u),
                   'kind', 'neighbourhood', 'parentId', format('sys-%s', lpad((u % {Systems} + 1)::text, 2, '0')),
                   'role', case when u <= {Systems} then 'intervention' else 'comparison' end,
                   'goLive', case when u <= {Systems} then '2025-01' end), 1
        from generate_series(1, {Units}) u;
        insert into rm_indicators (indicator_id, data, source_version)
        select format('ind-%s', lpad(i::text, 3, '0')),
               jsonb_build_object('indicatorId', format('ind-%s', lpad(i::text, 3, '0')), 'name', format('Indicator %s', i),
                   'domain', 'Load', 'measure', 'count', 'improvement', 'increase', 'target', null, 'chart', 'xmr',
                   'unitLabel', null, 'multiplier', null), 1
        from generate_series(1, {Indicators}) i;
        insert into rm_dashboard_cells
        select format('ind-%s', lpad(i::text, 3, '0')), format('n%s', lpad(u::text, 4, '0')),
               to_char(date_trunc('month', now()) - interval '36 months', 'YYYY-MM'),
               to_char(date_trunc('month', now()) - interval '1 month', 'YYYY-MM'), 36,
               to_char(date_trunc('month', now()) - interval '1 month', 'YYYY-MM'), (u * i) % 97 + 0.5,
               (array['common_cause', 'improvement_high', 'concern_low', 'neutral_high'])[(u + i) % 4 + 1],
               (array['inconsistent', 'pass', 'fail'])[(u * i) % 3 + 1], (u + i) % 5, (u * i) % 3
        from generate_series(1, {Units}) u, generate_series(1, {Indicators}) i;
        analyze;
        """;
}

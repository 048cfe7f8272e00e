using System.Text.Json;
using Icp.Contracts.Indicators;
using Icp.Hosting;
using Npgsql;
using Icp.Projections.Spc;

namespace Icp.Projections.Dashboard;

/// <summary>
/// <c>rm_dashboard_cells</c>: the overview's part of every series (<see cref="DashboardCellState"/>), recomputed in
/// the indicator read model's transaction whenever a series' values or its indicator's definition change.
/// </summary>
public static class DashboardCells
{
    public const string Table = "rm_dashboard_cells";

    public const string Ddl = """
        create table if not exists rm_dashboard_cells (
            indicator_id       text collate "C" not null,
            unit_id            text collate "C" not null,
            first_period       text not null,
            last_period        text not null,
            months             int not null,
            latest_period      text,
            latest_value       double precision,
            variation_icon     text,
            assurance_icon     text,
            improvement_signals int not null,
            concern_signals    int not null,
            primary key (unit_id, indicator_id)
        );
        """;

    /// <summary>
    /// Recomputes the cells of <paramref name="series"/> (given with their months as they now stand) and of every series
    /// of the indicators in <paramref name="indicatorIds"/> (read from the tables as this transaction sees them).
    /// </summary>
    public static async Task RefreshAsync(NpgsqlConnection connection, NpgsqlTransaction tx,
        IReadOnlyDictionary<(string SeriesId, string UnitId), List<MonthlyValue>> series,
        IReadOnlyCollection<string> indicatorIds, CancellationToken ct)
    {
        if (series.Count == 0 && indicatorIds.Count == 0) return;
        var baseIds = series.Keys.Select(s => IndicatorSeries.Parse(s.SeriesId).IndicatorId).Concat(indicatorIds)
            .Distinct().ToArray();
        var definitions = new Dictionary<string, IndicatorDefinedV1>(StringComparer.Ordinal);
        await using (var command = new NpgsqlCommand("select data::text from rm_indicators where indicator_id = any($1)", connection, tx)
        {
            Parameters = { new() { Value = baseIds } },
        })
        await using (var reader = await command.ExecuteReaderAsync(ct))
            while (await reader.ReadAsync(ct))
                foreach (var s in SpcQueries.SeriesOf(JsonSerializer.Deserialize<IndicatorDefinedV1>(reader.GetString(0), ServiceDefaults.Json)!))
                    definitions[s.IndicatorId] = s;

        // Every series to recompute, with its values: those given, and every series of a redefined indicator.
        var values = new Dictionary<(string SeriesId, string UnitId), List<MonthlyValue>>(series);
        if (indicatorIds.Count > 0)
        {
            await using var command = new NpgsqlCommand("""
                select v.indicator_id, v.unit_id, v.period, v.value, v.numerator, v.denominator from rm_values v
                where split_part(v.indicator_id, ':', 1) = any($1)
                order by v.indicator_id, v.unit_id, v.period
                """, connection, tx)
            {
                Parameters = { new() { Value = indicatorIds.ToArray() } },
            };
            var read = new Dictionary<(string, string), List<MonthlyValue>>();
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var key = (reader.GetString(0), reader.GetString(1));
                if (!read.TryGetValue(key, out var list)) read[key] = list = [];
                list.Add(new MonthlyValue(reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetDouble(3),
                    reader.IsDBNull(4) ? null : reader.GetDouble(4), reader.IsDBNull(5) ? null : reader.GetDouble(5)));
            }
            foreach (var (key, months) in read) values.TryAdd(key, months);
        }

        var cells = values
            .Select(v => definitions.TryGetValue(v.Key.SeriesId, out var indicator)
                ? ProgrammeDashboard.Cell(indicator, v.Key.UnitId, v.Value, null)
                : null)
            .OfType<DashboardCellState>().ToList();
        await using var batch = new NpgsqlBatch(connection, tx)
        {
            BatchCommands =
            {
                DeleteCells(values.Keys, indicatorIds),
                new NpgsqlBatchCommand("""
                    insert into rm_dashboard_cells select * from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::int[],
                        $6::text[], $7::float8[], $8::text[], $9::text[], $10::int[], $11::int[])
                    """)
                {
                    Parameters =
                    {
                        new() { Value = cells.Select(c => c.IndicatorId).ToArray() },
                        new() { Value = cells.Select(c => c.UnitId).ToArray() },
                        new() { Value = cells.Select(c => c.FirstPeriod).ToArray() },
                        new() { Value = cells.Select(c => c.LastPeriod).ToArray() },
                        new() { Value = cells.Select(c => c.Months).ToArray() },
                        new() { Value = cells.Select(c => c.LatestPeriod).ToArray() },
                        new() { Value = cells.Select(c => c.LatestValue).ToArray() },
                        new() { Value = cells.Select(c => c.VariationIcon).ToArray() },
                        new() { Value = cells.Select(c => c.AssuranceIcon).ToArray() },
                        new() { Value = cells.Select(c => c.ImprovementSignals).ToArray() },
                        new() { Value = cells.Select(c => c.ConcernSignals).ToArray() },
                    },
                },
            },
        };
        await batch.ExecuteNonQueryAsync(ct);
    }

    // The cells of these series, and every cell of the redefined indicators (of a category dropped since, too). Without
    // a redefined indicator the delete is by key alone: the prefix test would scan every cell.
    private static NpgsqlBatchCommand DeleteCells(IEnumerable<(string SeriesId, string UnitId)> series,
        IReadOnlyCollection<string> indicatorIds)
    {
        var command = new NpgsqlBatchCommand($"""
            delete from rm_dashboard_cells
            where (indicator_id, unit_id) in (select * from unnest($1::text[], $2::text[]))
               {(indicatorIds.Count > 0 ? "or split_part(indicator_id, ':', 1) = any($3)" : "")}
            """)
        {
            Parameters =
            {
                new() { Value = series.Select(k => k.SeriesId).ToArray() },
                new() { Value = series.Select(k => k.UnitId).ToArray() },
            },
        };
        if (indicatorIds.Count > 0) command.Parameters.Add(new() { Value = indicatorIds.ToArray() });
        return command;
    }

    /// <summary>The units that have any cell.</summary>
    public static async Task<HashSet<string>> UnitsAsync(NpgsqlDataSource dataSource, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("select distinct unit_id from rm_dashboard_cells");
        var units = new HashSet<string>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) units.Add(reader.GetString(0));
        return units;
    }

    /// <summary>The cells of these units (every unit when null).</summary>
    public static async Task<Dictionary<(string IndicatorId, string UnitId), DashboardCellState>> ReadAsync(
        NpgsqlDataSource dataSource, IReadOnlyCollection<string>? unitIds, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand($"""
            select indicator_id, unit_id, first_period, last_period, months, latest_period, latest_value, variation_icon,
                assurance_icon, improvement_signals, concern_signals
            from rm_dashboard_cells {(unitIds is null ? "" : "where unit_id = any($1)")}
            """);
        if (unitIds is not null) command.Parameters.Add(new() { Value = unitIds.ToArray() });
        var cells = new Dictionary<(string, string), DashboardCellState>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            string? Text(int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
            var cell = new DashboardCellState(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                reader.GetInt32(4), Text(5), reader.IsDBNull(6) ? null : reader.GetDouble(6), Text(7), Text(8),
                reader.GetInt32(9), reader.GetInt32(10));
            cells[(cell.IndicatorId, cell.UnitId)] = cell;
        }
        return cells;
    }
}

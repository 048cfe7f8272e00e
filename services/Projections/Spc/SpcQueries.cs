using System.Text.Json;
using Icp.Contracts.Indicators;
using Icp.Hosting;
using Npgsql;

namespace Icp.Projections.Spc;

public sealed record MonthlyValue(string Period, double? Value, double? Numerator, double? Denominator);

/// <summary>Reads what a chart needs from the read models.</summary>
public sealed class SpcQueries(NpgsqlDataSource dataSource)
{
    /// <summary>An indicator, or one type's series of an indicator with categories (<c>{indicatorId}:{category}</c>).</summary>
    public async Task<IndicatorDefinedV1?> FindIndicatorAsync(string seriesId, CancellationToken ct)
    {
        var (indicatorId, _) = IndicatorSeries.Parse(seriesId);
        await using var command = dataSource.CreateCommand("select data::text from rm_indicators where indicator_id = $1");
        command.Parameters.Add(new() { Value = indicatorId });
        if (await command.ExecuteScalarAsync(ct) is not string json) return null;
        var indicator = JsonSerializer.Deserialize<IndicatorDefinedV1>(json, ServiceDefaults.Json)!;
        return SeriesOf(indicator).FirstOrDefault(s => s.IndicatorId == seriesId);
    }

    /// <summary>
    /// The charted series of an indicator: the indicator itself, or for one with categories a series per category,
    /// named after it and defined like it.
    /// </summary>
    public static IEnumerable<IndicatorDefinedV1> SeriesOf(IndicatorDefinedV1 indicator) =>
        indicator.Categories is not { Count: > 0 } categories
            ? [indicator]
            : categories.Select(c => indicator with
            {
                IndicatorId = IndicatorSeries.Id(indicator.IndicatorId, c), Name = $"{indicator.Name}: {c.Replace('-', ' ')}", Categories = null,
            });

    public async Task<List<UnitDefinedV1>> UnitsAsync(CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("select data::text from rm_units order by unit_id");
        var units = new List<UnitDefinedV1>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) units.Add(JsonSerializer.Deserialize<UnitDefinedV1>(reader.GetString(0), ServiceDefaults.Json)!);
        return units;
    }

    public async Task<List<IndicatorDefinedV1>> IndicatorsAsync(CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("select data::text from rm_indicators order by indicator_id");
        var indicators = new List<IndicatorDefinedV1>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) indicators.AddRange(SeriesOf(JsonSerializer.Deserialize<IndicatorDefinedV1>(reader.GetString(0), ServiceDefaults.Json)!));
        return indicators;
    }

    /// <summary>Every series' newest revisions (as recorded by <paramref name="asOf"/> when given), by (indicator, unit).</summary>
    public async Task<Dictionary<(string IndicatorId, string UnitId), List<MonthlyValue>>> AllValuesAsync(DateTimeOffset? asOf, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(asOf is null
            ? "select indicator_id, unit_id, period, value, numerator, denominator from rm_values order by indicator_id, unit_id, period"
            : """
              select distinct on (indicator_id, unit_id, period) indicator_id, unit_id, period, value, numerator, denominator
              from rm_value_revisions where recorded_at <= $1
              order by indicator_id, unit_id, period, source_version desc
              """);
        if (asOf is not null) command.Parameters.Add(new() { Value = asOf.Value.ToUniversalTime() });
        var values = new Dictionary<(string, string), List<MonthlyValue>>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var key = (reader.GetString(0), reader.GetString(1));
            if (!values.TryGetValue(key, out var series)) values[key] = series = [];
            series.Add(new MonthlyValue(reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetDouble(3),
                reader.IsDBNull(4) ? null : reader.GetDouble(4),
                reader.IsDBNull(5) ? null : reader.GetDouble(5)));
        }
        return values;
    }

    public async Task<UnitDefinedV1?> FindUnitAsync(string unitId, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("select data::text from rm_units where unit_id = $1");
        command.Parameters.Add(new() { Value = unitId });
        return await command.ExecuteScalarAsync(ct) is string json ? JsonSerializer.Deserialize<UnitDefinedV1>(json, ServiceDefaults.Json) : null;
    }

    /// <summary>A unit's intervention log entries for an indicator (or its series) and those for every indicator.</summary>
    public async Task<List<ChartIntervention>> InterventionsAsync(string seriesId, string unitId, CancellationToken ct)
    {
        var (indicatorId, _) = IndicatorSeries.Parse(seriesId);
        await using var command = dataSource.CreateCommand("""
            select data::text from rm_interventions
            where data ->> 'unitId' = $1 and (data ->> 'indicatorId' is null or data ->> 'indicatorId' = $2)
            order by data ->> 'month', intervention_id
            """);
        command.Parameters.Add(new() { Value = unitId });
        command.Parameters.Add(new() { Value = indicatorId });
        var entries = new List<ChartIntervention>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var e = JsonSerializer.Deserialize<InterventionRecordedV1>(reader.GetString(0), ServiceDefaults.Json)!;
            entries.Add(new ChartIntervention(e.Month, e.InterventionId, e.Kind, e.Title, e.IndicatorId));
        }
        return entries;
    }

    /// <summary>The newest revision of each month; with <paramref name="asOf"/>, the newest one recorded by then.</summary>
    public async Task<List<MonthlyValue>> ValuesAsync(string seriesId, string unitId, DateTimeOffset? asOf, CancellationToken ct)
    {
        // As-of reads every revision with the time it was recorded; the current chart reads the newest only.
        await using var command = dataSource.CreateCommand(asOf is null
            ? """
              select period, value, numerator, denominator from rm_values
              where indicator_id = $1 and unit_id = $2 order by period
              """
            : """
              select distinct on (period) period, value, numerator, denominator from rm_value_revisions
              where indicator_id = $1 and unit_id = $2 and recorded_at <= $3
              order by period, source_version desc
              """);
        command.Parameters.Add(new() { Value = seriesId });
        command.Parameters.Add(new() { Value = unitId });
        if (asOf is not null) command.Parameters.Add(new() { Value = asOf.Value.ToUniversalTime() });
        var values = new List<MonthlyValue>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            values.Add(new MonthlyValue(reader.GetString(0),
                reader.IsDBNull(1) ? null : reader.GetDouble(1),
                reader.IsDBNull(2) ? null : reader.GetDouble(2),
                reader.IsDBNull(3) ? null : reader.GetDouble(3)));
        return values;
    }
}

using System.Text.Json;
using Icp.Contracts.Indicators;
using Icp.Hosting;
using Npgsql;

namespace Icp.Projections.ReadModels;

public sealed record SpcPhase(string Start, double? Mean);

public sealed record SpcPoint(string Period, double? Value, double? Numerator, double? Denominator,
    double? Mean, double? Lpl, double? Upl, string? PointType, string? Rule);

public sealed record SpcChart(string IndicatorId, string UnitId, string Chart, List<SpcPhase> Phases, List<SpcPoint> Points,
    string? VariationIcon, string? AssuranceIcon);

public sealed record MonthlyValue(string Period, double? Value, double? Numerator, double? Denominator);

/// <summary>Reads what a chart needs from the read models.</summary>
public sealed class SpcQueries(NpgsqlDataSource dataSource)
{
    public async Task<IndicatorDefinedV1?> FindIndicatorAsync(string indicatorId, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("select data::text from rm_indicators where indicator_id = $1");
        command.Parameters.Add(new() { Value = indicatorId });
        return await command.ExecuteScalarAsync(ct) is string json
            ? JsonSerializer.Deserialize<IndicatorDefinedV1>(json, ServiceDefaults.Json)
            : null;
    }

    public async Task<bool> UnitExistsAsync(string unitId, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("select 1 from rm_units where unit_id = $1");
        command.Parameters.Add(new() { Value = unitId });
        return await command.ExecuteScalarAsync(ct) is not null;
    }

    public async Task<List<MonthlyValue>> ValuesAsync(string indicatorId, string unitId, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("""
            select period, value, numerator, denominator from rm_values
            where indicator_id = $1 and unit_id = $2 order by period
            """);
        command.Parameters.Add(new() { Value = indicatorId });
        command.Parameters.Add(new() { Value = unitId });
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

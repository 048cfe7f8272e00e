using Icp.Hosting;

namespace Icp.Projections.ReadModels;

public static class SpcEndpoints
{
    public static IServiceCollection AddIndicatorReadModels(this IServiceCollection services)
    {
        services.AddReadModel<IndicatorReadModels>();
        services.AddSingleton<SpcQueries>();
        return services;
    }

    public static RouteGroupBuilder MapSpcEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/spc/{indicatorId}/{unitId}", async (string indicatorId, string unitId, string? baselinePoints, string? rebase,
            string? screenMovingRanges, string? rules, string? asOf, SpcQueries queries, CancellationToken ct) =>
        {
            var (chart, _, problem) = await ChartAsync(indicatorId, unitId, baselinePoints, rebase, screenMovingRanges, rules, asOf, queries, ct);
            return problem ?? Results.Ok(chart);
        });
        api.MapGet("/spc/{indicatorId}/{unitId}/chart.svg", async (string indicatorId, string unitId, string? baselinePoints, string? rebase,
            string? screenMovingRanges, string? rules, string? asOf, SpcQueries queries, CancellationToken ct) =>
        {
            var (chart, indicator, problem) = await ChartAsync(indicatorId, unitId, baselinePoints, rebase, screenMovingRanges, rules, asOf, queries, ct);
            return problem ?? Results.Text(SpcSvg.Render(chart!, indicator!.Name, indicator.Measure == "proportion"), "image/svg+xml");
        });
        return api;
    }

    private static async Task<(SpcChartView? Chart, Icp.Contracts.Indicators.IndicatorDefinedV1? Indicator, IResult? Problem)> ChartAsync(
        string indicatorId, string unitId, string? baselinePoints, string? rebase, string? screenMovingRanges, string? rules, string? asOf,
        SpcQueries queries, CancellationToken ct)
    {
        var (query, errors) = SpcQuery.Parse(baselinePoints, rebase, screenMovingRanges, rules, asOf);
        if (query is null) return (null, null, Problems.Validation(errors));
        var indicator = await queries.FindIndicatorAsync(indicatorId, ct);
        if (indicator is null) return (null, null, Problems.NotFound($"No indicator '{indicatorId}'."));
        if (!await queries.UnitExistsAsync(unitId, ct)) return (null, null, Problems.NotFound($"No unit '{unitId}'."));
        var values = await queries.ValuesAsync(indicatorId, unitId, query.AsOf, ct);
        return (SpcCharts.Build(indicator, unitId, values, query), indicator, null);
    }
}

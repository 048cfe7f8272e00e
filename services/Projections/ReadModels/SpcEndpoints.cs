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
            var (query, errors) = SpcQuery.Parse(baselinePoints, rebase, screenMovingRanges, rules, asOf);
            if (query is null) return Problems.Validation(errors);
            var indicator = await queries.FindIndicatorAsync(indicatorId, ct);
            if (indicator is null) return Problems.NotFound($"No indicator '{indicatorId}'.");
            if (!await queries.UnitExistsAsync(unitId, ct)) return Problems.NotFound($"No unit '{unitId}'.");
            var values = await queries.ValuesAsync(indicatorId, unitId, query.AsOf, ct);
            return Results.Ok(SpcCharts.Build(indicator, unitId, values, query));
        });
        return api;
    }
}

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
        api.MapGet("/spc/{indicatorId}/{unitId}", async (string indicatorId, string unitId, SpcQueries queries, CancellationToken ct) =>
        {
            var indicator = await queries.FindIndicatorAsync(indicatorId, ct);
            if (indicator is null) return Problems.NotFound($"No indicator '{indicatorId}'.");
            if (!await queries.UnitExistsAsync(unitId, ct)) return Problems.NotFound($"No unit '{unitId}'.");
            var values = await queries.ValuesAsync(indicatorId, unitId, ct);
            var points = values.Select(v => new SpcPoint(v.Period,
                v.Value ?? (v is { Numerator: { } n, Denominator: > 0 and var d } ? n / d : null),
                v.Numerator, v.Denominator, null, null, null, null, null)).ToList();
            return Results.Ok(new SpcChart(indicatorId, unitId, indicator.Chart, [], points, null, null));
        });
        return api;
    }
}

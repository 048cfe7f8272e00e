using Icp.Hosting;

namespace Icp.Projections.ReadModels;

public static class DashboardEndpoints
{
    public static RouteGroupBuilder MapDashboardEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/dashboard", async (string? asOf, SpcQueries queries, TimeProvider clock, CancellationToken ct) =>
        {
            var (query, errors) = SpcQuery.Parse(null, null, null, null, asOf);
            if (query is null) return Problems.Validation(errors);
            var units = await queries.UnitsAsync(ct);
            var indicators = await queries.IndicatorsAsync(ct);
            var values = await queries.AllValuesAsync(query.AsOf, ct);
            var today = DateOnly.FromDateTime((query.AsOf ?? clock.GetUtcNow()).UtcDateTime);
            return Results.Ok(Dashboard.Build(units, indicators, values, today, query.AsOf));
        }).WithSummary("Programme overview: per unit and indicator the latest value, icons, recent signals, missing and overdue data");
        return api;
    }
}

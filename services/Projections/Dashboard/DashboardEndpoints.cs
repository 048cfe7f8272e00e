using System.Globalization;
using Icp.Contracts.Indicators;
using Icp.Hosting;
using Icp.Hosting.Security;
using Icp.Hosting.Intake;
using Npgsql;
using Icp.Projections.Spc;

namespace Icp.Projections.Dashboard;

public static class DashboardEndpoints
{
    public const int MaxPageSize = 500;

    public static RouteGroupBuilder MapDashboardEndpoints(this RouteGroupBuilder routes)
    {
        var api = routes.MapGroup("").RequireScope(Scopes.ReadAggregate);
        api.MapGet("/dashboard", async (string? asOf, string? system, string? page, string? pageSize, HttpContext http, SpcQueries queries,
            NpgsqlDataSource dataSource, TimeProvider clock, CancellationToken ct) =>
        {
            var (query, errors) = SpcQuery.Parse(null, null, null, null, asOf);
            if (system is not null && !Ids.IsValid(system))
                errors.Add(new(null, "system", "Must be a unit id (letters, digits, '-', '_', '.')."));
            var pageNumber = ParsePositive(page, "page", int.MaxValue, errors);
            var size = ParsePositive(pageSize, "pageSize", MaxPageSize, errors);
            if (query is null || errors.Count > 0) return Problems.Validation(errors);

            var scope = await http.UnitScopeAsync();
            var units = (await queries.UnitsAsync(ct))
                .Where(u => (system is null || u.UnitId == system || u.ParentId == system) && scope.Includes(u.UnitId)).ToList();
            var indicators = await queries.IndicatorsAsync(ct);
            var today = DateOnly.FromDateTime((query.AsOf ?? clock.GetUtcNow()).UtcDateTime);
            if (query.AsOf is not null)
            {
                // As of a past instant the overview is charted from the revisions recorded by then.
                var values = await queries.AllValuesAsync(query.AsOf, ct);
                return Results.Ok(Paged(ProgrammeDashboard.Build(units, indicators, values, today, query.AsOf), pageNumber, size));
            }
            // Now: read the cells the read model keeps, for the units of the page only.
            if (pageNumber is null && size is null)
                return Results.Ok(ProgrammeDashboard.Assemble(units, indicators,
                    await DashboardCells.ReadAsync(dataSource, units.Select(u => u.UnitId).ToList(), ct), today, null));
            var charted = await DashboardCells.UnitsAsync(dataSource, ct);
            var ordered = ProgrammeDashboard.Ordered(units.Where(u => charted.Contains(u.UnitId))).ToList();
            var (skip, take) = Window(pageNumber, size);
            var onPage = ordered.Skip(skip).Take(take).ToList();
            var view = ProgrammeDashboard.Assemble(onPage, indicators,
                await DashboardCells.ReadAsync(dataSource, onPage.Select(u => u.UnitId).ToList(), ct), today, null);
            return Results.Ok(view with { TotalUnits = ordered.Count, Page = pageNumber ?? 1, PageSize = take });
        }).WithSummary("Programme overview: per unit and indicator the latest value, icons, recent signals, missing and " +
            "overdue data; filter by system (a parent unit), page with page and pageSize");
        return routes;
    }

    private static DashboardView Paged(DashboardView view, int? page, int? size)
    {
        if (page is null && size is null) return view;
        var (skip, take) = Window(page, size);
        return view with
        {
            Units = view.Units.Skip(skip).Take(take).ToList(), TotalUnits = view.Units.Count, Page = page ?? 1, PageSize = take,
        };
    }

    private static (int Skip, int Take) Window(int? page, int? size)
    {
        var take = size ?? 100;
        return ((int)Math.Min(int.MaxValue, ((long)(page ?? 1) - 1) * take), take);
    }

    private static int? ParsePositive(string? text, string field, int max, List<ValidationError> errors)
    {
        if (text is null) return null;
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1 && n <= max) return n;
        errors.Add(new(null, field, $"Must be a whole number from 1 to {max.ToString(CultureInfo.InvariantCulture)}."));
        return null;
    }
}

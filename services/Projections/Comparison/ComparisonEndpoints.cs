using Icp.Hosting;
using Icp.Hosting.Security;
using Icp.Hosting.Intake;
using Icp.Spc;
using Icp.Projections.Spc;

namespace Icp.Projections.Comparison;

public static class ComparisonEndpoints
{
    public static RouteGroupBuilder MapComparisonEndpoints(this RouteGroupBuilder routes)
    {
        var api = routes.MapGroup("").RequireScope(Scopes.ReadAggregate);
        api.MapGet("/comparison/{indicatorId}/{unitId}", async (string indicatorId, string unitId, string? baselinePoints,
            string? rules, string? asOf, HttpContext http, SpcQueries queries, ChartableSeries series, CancellationToken ct) =>
        {
            var (query, errors) = SpcQuery.Parse(baselinePoints, null, null, rules, asOf);
            if (query is null) return Problems.Validation(errors);
            var indicator = await series.DefineAsync(indicatorId, ct);
            if (indicator is null) return Problems.NotFound($"No indicator {Text.Echo(indicatorId)}.");
            var units = await queries.UnitsAsync(ct);
            var intervention = units.FirstOrDefault(u => u.UnitId == unitId);
            if (intervention is null) return Problems.NotFound($"No unit {Text.Echo(unitId)}.");

            var warnings = new List<string>();
            var values = await series.ValuesAsync(indicatorId, unitId, query.AsOf, ct);
            var baseline = query.BaselinePoints;
            if (baseline is null && intervention.GoLive is not null)
            {
                var before = PeerComparison.MonthsBefore(values, intervention.GoLive);
                if (before >= SpcOptions.MinimumBaselinePoints) baseline = before;
                else warnings.Add($"Only {before} months before go-live ({intervention.GoLive}): limits use every month instead of a pre-go-live baseline.");
            }
            if (intervention.GoLive is null) warnings.Add($"{unitId} has no go-live month: limits use every month.");
            var chartQuery = query with { BaselinePoints = baseline };

            // Comparison neighbourhoods outside the caller's systems are left out, as if they did not exist.
            var scope = await http.UnitScopeAsync();
            var comparisonUnits = PeerComparison.ComparisonUnits(intervention, units).Where(u => scope.Includes(u.UnitId)).ToList();
            if (comparisonUnits.Count == 0) warnings.Add("No comparison units: every special cause is reported as unique.");
            var interventionChart = SpcCharts.Build(indicator, unitId, values, chartQuery);
            var comparisonCharts = new List<SpcChartView>();
            foreach (var unit in comparisonUnits)
            {
                var unitValues = await series.ValuesAsync(indicatorId, unit.UnitId, query.AsOf, ct);
                // Each comparison unit's limits are fixed on its own months before the intervention's go-live.
                var unitBefore = PeerComparison.MonthsBefore(unitValues, intervention.GoLive);
                var unitBaseline = query.BaselinePoints ?? (baseline is not null && unitBefore >= SpcOptions.MinimumBaselinePoints ? unitBefore : null);
                comparisonCharts.Add(SpcCharts.Build(indicator, unit.UnitId, unitValues, chartQuery with { BaselinePoints = unitBaseline }));
            }
            var signals = PeerComparison.Assess(interventionChart, comparisonCharts);
            var view = new ComparisonView(indicatorId, unitId, intervention.GoLive, baseline,
                comparisonUnits.Select(u => u.UnitId).ToList(), interventionChart, comparisonCharts, signals,
                signals.Count(s => s.Verdict == PeerComparison.Unique), signals.Count(s => s.Verdict == PeerComparison.Shared), warnings);
            return Results.Ok(view with
            {
                Reading = Readings.ForComparison(view, indicator.Name, intervention.Name, indicator.Measure == "proportion"),
            });
        }).RequireUnitInScope()
            .WithSummary("An intervention unit's chart beside its comparison units', with a verdict per special cause: unique or shared");
        return routes;
    }
}

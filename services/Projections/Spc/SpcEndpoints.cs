using Icp.Contracts.Indicators;
using Icp.Hosting;
using Icp.Hosting.Security;
using Icp.Hosting.Intake;
using Icp.Projections.CaseStudies;
using Icp.Projections.Referrals;

namespace Icp.Projections.Spc;

/// <summary>Any chartable series: a fed indicator (or one of its types), or an indicator derived from referrals.</summary>
public sealed class ChartableSeries(SpcQueries queries, ReferralIndicatorQueries referrals)
{
    public async Task<IndicatorDefinedV1?> DefineAsync(string indicatorId, CancellationToken ct) =>
        ReferralIndicatorQueries.Define(indicatorId) ?? await queries.FindIndicatorAsync(indicatorId, ct);

    public Task<List<MonthlyValue>> ValuesAsync(string indicatorId, string unitId, DateTimeOffset? asOf, CancellationToken ct) =>
        ReferralIndicatorQueries.Define(indicatorId) is null
            ? queries.ValuesAsync(indicatorId, unitId, asOf, ct)
            : referrals.ValuesAsync(indicatorId, unitId, asOf, ct);
}

public static class SpcEndpoints
{
    public static RouteGroupBuilder MapSpcEndpoints(this RouteGroupBuilder routes)
    {
        var api = routes.MapGroup("").RequireScope(Scopes.ReadAggregate);
        api.MapGet("/spc/{indicatorId}/{unitId}", async (string indicatorId, string unitId, string? baselinePoints, string? rebase,
            string? screenMovingRanges, string? rules, string? asOf, HttpContext http, SpcQueries queries, ChartableSeries series,
            CaseStudyQueries annotations, CancellationToken ct) =>
        {
            var (chart, _, problem) = await ChartAsync(indicatorId, unitId, baselinePoints, rebase, screenMovingRanges, rules, asOf,
                (await http.UnitScopeAsync()).UnitIds, queries, series, annotations, ct);
            return problem ?? Results.Ok(chart);
        }).RequireUnitInScope();
        api.MapGet("/spc/{indicatorId}/{unitId}/chart.svg", async (string indicatorId, string unitId, string? baselinePoints, string? rebase,
            string? screenMovingRanges, string? rules, string? asOf, HttpContext http, SpcQueries queries, ChartableSeries series,
            CaseStudyQueries annotations, CancellationToken ct) =>
        {
            var (chart, indicator, problem) = await ChartAsync(indicatorId, unitId, baselinePoints, rebase, screenMovingRanges, rules, asOf,
                (await http.UnitScopeAsync()).UnitIds, queries, series, annotations, ct);
            return problem ?? Results.Text(SpcSvg.Render(chart!, indicator!.Name, indicator.Measure == "proportion"), "image/svg+xml");
        }).RequireUnitInScope();
        return routes;
    }

    private static async Task<(SpcChartView? Chart, IndicatorDefinedV1? Indicator, IResult? Problem)> ChartAsync(
        string indicatorId, string unitId, string? baselinePoints, string? rebase, string? screenMovingRanges, string? rules, string? asOf,
        string[]? visibleUnits, SpcQueries queries, ChartableSeries series, CaseStudyQueries annotations, CancellationToken ct)
    {
        var (query, errors) = SpcQuery.Parse(baselinePoints, rebase, screenMovingRanges, rules, asOf);
        if (query is null) return (null, null, Problems.Validation(errors));
        var indicator = await series.DefineAsync(indicatorId, ct);
        if (indicator is null) return (null, null, Problems.NotFound($"No indicator {Text.Echo(indicatorId)}."));
        if (await queries.FindUnitAsync(unitId, ct) is not { } unit)
            return (null, null, Problems.NotFound($"No unit {Text.Echo(unitId)}."));
        var values = await series.ValuesAsync(indicatorId, unitId, query.AsOf, ct);
        var chart = SpcCharts.Build(indicator, unitId, values, query);
        var months = chart.Points.Select(p => p.Period).ToHashSet();
        var linked = (await annotations.AnnotationsAsync(indicatorId, unitId, visibleUnits, ct)).Where(a => months.Contains(a.Period)).ToList();
        var interventions = (await queries.InterventionsAsync(indicatorId, unitId, ct)).Where(i => months.Contains(i.Month)).ToList();
        return (chart with
        {
            Annotations = linked, Interventions = interventions, Reading = Readings.ForChart(chart, indicator.Name, unit.Name, indicator.Measure == "proportion"),
        }, indicator, null);
    }
}

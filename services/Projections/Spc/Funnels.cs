using System.Globalization;
using System.Security;
using System.Text;
using Icp.Contracts.Indicators;
using Icp.Hosting;
using Icp.Hosting.Security;
using Icp.Hosting.Intake;
using Icp.Statistics;
using Npgsql;

namespace Icp.Projections.Spc;

public sealed record FunnelUnitView(string UnitId, string? Name, string? Role, double Numerator, double Denominator,
    double Value, double ZScore, double AdjustedZScore, double Lower95, double Upper95, double Lower998, double Upper998,
    string Position, bool Highlighted);

public sealed record FunnelCurvePoint(double Denominator, double Lower95, double Upper95, double Lower998, double Upper998);

/// <summary>A funnel plot of one indicator across units for a month or a period. Values, target and limits are in the
/// indicator's own scale (a rate multiplied by its multiplier).</summary>
public sealed record FunnelView(string IndicatorId, string Name, string Measure, string Improvement, string From, string To,
    string Adjustment, bool AdjustmentApplied, double Target, double Phi, double Tau2, double Multiplier,
    IReadOnlyList<FunnelUnitView> Units, IReadOnlyList<string> Outside, IReadOnlyList<FunnelCurvePoint> Curve);

/// <summary>Funnel plots from the read model's values: each unit's numerators and denominators summed over the period.</summary>
public sealed class Funnels(NpgsqlDataSource dataSource, SpcQueries queries)
{
    public const int CurvePoints = 60;

    public static readonly string[] Adjustments = ["additive", "multiplicative", "none"];

    public async Task<(FunnelView? View, IResult? Problem)> BuildAsync(string indicatorId, string? period, string? from,
        string? to, string? adjustment, string? highlight, UnitScope scope, CancellationToken ct)
    {
        var errors = new List<ValidationError>();
        if (period is not null && (from is not null || to is not null))
            errors.Add(new(null, "period", "Give either period or from and to, not both."));
        var (first, last) = (period ?? from, period ?? to);
        foreach (var (field, value) in new[] { (period is null ? "from" : "period", first), (period is null ? "to" : "period", last) })
            if (value is null || !Months.IsValid(value))
                errors.Add(new(null, field, "A month as YYYY-MM is needed (period, or from and to)."));
        if (errors.Count == 0 && string.CompareOrdinal(first, last) > 0) errors.Add(new(null, "to", "Must not be before from."));
        if (adjustment is not null && !Adjustments.Contains(adjustment))
            errors.Add(new(null, "adjustment", $"One of {string.Join(", ", Adjustments)}."));
        if (highlight is not null && !Ids.IsValid(highlight)) errors.Add(new(null, "highlight", "Must be a unit id."));
        if (errors.Count > 0) return (null, Problems.Validation(errors.DistinctBy(e => e.Field).ToList()));

        if (await queries.FindIndicatorAsync(indicatorId, ct) is not { } indicator)
            return (null, Results.Problem(statusCode: 404, title: "Not found", detail: $"No indicator '{indicatorId}'."));
        var measure = indicator.Measure switch
        {
            "proportion" => FunnelMeasure.Proportion,
            "rate" => FunnelMeasure.Rate,
            _ => (FunnelMeasure?)null,
        };
        if (measure is null)
            return (null, Problems.Validation([new(null, "indicatorId",
                "A funnel plot compares shares or rates: this indicator has no denominator.")]));

        // The caller's own units only: their overall value and limits, not another system's.
        var totals = (await TotalsAsync(indicatorId, first!, last!, ct)).Where(t => scope.Includes(t.UnitId)).ToList();
        var units = (await queries.UnitsAsync(ct)).ToDictionary(u => u.UnitId);
        var chosen = adjustment switch
        {
            "multiplicative" => OverdispersionAdjustment.Multiplicative,
            "none" => OverdispersionAdjustment.None,
            _ => OverdispersionAdjustment.Additive,
        };
        var result = FunnelPlot.Calculate(totals, measure.Value, chosen);
        var scale = measure == FunnelMeasure.Rate ? indicator.Multiplier ?? 1 : 1;
        var views = result.Points.Select(p =>
        {
            var unit = units.GetValueOrDefault(p.UnitId);
            return new FunnelUnitView(p.UnitId, unit?.Name, unit?.Role, p.Numerator, p.Denominator, p.Value * scale, p.ZScore,
                p.AdjustedZScore, p.Limits.Lower95 * scale, p.Limits.Upper95 * scale, p.Limits.Lower998 * scale,
                p.Limits.Upper998 * scale, p.Position, highlight is null ? unit?.Role == "intervention" : p.UnitId == highlight);
        }).ToList();
        var curve = new List<FunnelCurvePoint>();
        if (views.Count > 0)
        {
            var (low, high) = (Math.Max(1, views.Min(v => v.Denominator) * 0.5), views.Max(v => v.Denominator) * 1.1);
            for (var i = 0; i < CurvePoints; i++)
            {
                // Evenly spaced on a log scale: the funnel narrows fastest at small denominators.
                var n = low * Math.Pow(high / low, i / (double)(CurvePoints - 1));
                var l = result.LimitsFor(n);
                curve.Add(new FunnelCurvePoint(n, l.Lower95 * scale, l.Upper95 * scale, l.Lower998 * scale, l.Upper998 * scale));
            }
        }
        return (new FunnelView(indicator.IndicatorId, indicator.Name, indicator.Measure, indicator.Improvement, first!, last!,
            chosen.ToString().ToLowerInvariant(), result.AdjustmentApplied, result.Target * scale, result.Phi, result.Tau2, scale,
            views, views.Where(v => v.Position != "within").Select(v => v.UnitId).ToList(), curve), null);
    }

    private async Task<List<FunnelUnit>> TotalsAsync(string seriesId, string from, string to, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("""
            select unit_id, sum(numerator), sum(denominator) from rm_values
            where indicator_id = $1 and period between $2 and $3 and numerator is not null and denominator is not null
            group by unit_id order by unit_id
            """);
        command.Parameters.Add(new() { Value = seriesId });
        command.Parameters.Add(new() { Value = from });
        command.Parameters.Add(new() { Value = to });
        var totals = new List<FunnelUnit>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) totals.Add(new FunnelUnit(reader.GetString(0), reader.GetDouble(1), reader.GetDouble(2)));
        return totals;
    }
}

/// <summary>The funnel drawn the Making Data Count way: units outside the limits in the improvement (blue) or concern
/// (orange) colour for the indicator's direction, the others grey; the highlighted unit ringed and named.</summary>
public static class FunnelSvg
{
    private const int Width = 720, Height = 440, Left = 64, Top = 56, PlotWidth = 600, PlotHeight = 330;

    public static string Render(FunnelView view)
    {
        var svg = new StringBuilder();
        var label = $"Funnel plot: {view.Name}, {view.From}–{view.To}";
        svg.Append(CultureInfo.InvariantCulture,
            $"""<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {Width} {Height}" width="{Width}" height="{Height}" role="img" aria-label="{Escape(label)}" font-family="Arial, Helvetica, sans-serif" font-size="12">""");
        svg.Append(CultureInfo.InvariantCulture, $"<title>{Escape(label)}</title>");
        svg.Append("""<rect width="100%" height="100%" fill="#ffffff"/>""");
        svg.Append(CultureInfo.InvariantCulture,
            $"""<text x="{Left}" y="22" font-size="16" font-weight="bold" fill="#231f20">{Escape(view.Name)}</text>""");
        var adjusted = view.AdjustmentApplied ? $"limits adjusted for overdispersion ({view.Adjustment})" : "limits from chance alone";
        svg.Append(CultureInfo.InvariantCulture,
            $"""<text x="{Left}" y="40" fill="#425563">{Escape(view.From)} to {Escape(view.To)} · 95% and 99.8% limits · {Escape(adjusted)}</text>""");
        if (view.Units.Count == 0)
            return svg.Append(CultureInfo.InvariantCulture,
                $"""<text x="{Left}" y="{Top + PlotHeight / 2}" fill="#425563">No units with a denominator in this period.</text></svg>""").ToString();

        var maxN = view.Curve[^1].Denominator;
        var values = view.Units.Select(u => u.Value).Concat(view.Curve.SelectMany(c => new[] { c.Lower998, c.Upper998 })).ToList();
        var (yMin, yMax) = (Math.Min(values.Min(), view.Target), Math.Max(values.Max(), view.Target));
        if (yMax - yMin < 1e-12) (yMin, yMax) = (yMin - 1, yMax + 1);
        double X(double n) => Left + n / maxN * PlotWidth;
        double Y(double v) => Top + PlotHeight - (v - yMin) / (yMax - yMin) * PlotHeight;
        svg.Append(CultureInfo.InvariantCulture,
            $"""<line x1="{Left}" x2="{Left}" y1="{Top}" y2="{Top + PlotHeight}" stroke="#768692"/><line x1="{Left}" x2="{Left + PlotWidth}" y1="{Top + PlotHeight}" y2="{Top + PlotHeight}" stroke="#768692"/>""");
        foreach (var (pick, dash, name) in new (Func<FunnelCurvePoint, double>, string, string)[]
                 {
                     (c => c.Upper95, "4 3", "upper95"), (c => c.Lower95, "4 3", "lower95"),
                     (c => c.Upper998, "", "upper998"), (c => c.Lower998, "", "lower998"),
                 })
            svg.Append(CultureInfo.InvariantCulture,
                $"""<polyline class="{name}" points="{string.Join(' ', view.Curve.Select(c => $"{F(X(c.Denominator))},{F(Y(pick(c)))}"))}" fill="none" stroke="#768692"{(dash.Length > 0 ? $" stroke-dasharray=\"{dash}\"" : "")}/>""");
        svg.Append(CultureInfo.InvariantCulture,
            $"""<line class="target" x1="{Left}" x2="{Left + PlotWidth}" y1="{F(Y(view.Target))}" y2="{F(Y(view.Target))}" stroke="#231f20" stroke-width="1.2"/>""");
        foreach (var unit in view.Units)
        {
            var colour = Colour(unit.Position, view.Improvement);
            svg.Append(CultureInfo.InvariantCulture,
                $"""<circle class="unit {unit.Position}" cx="{F(X(unit.Denominator))}" cy="{F(Y(unit.Value))}" r="5" fill="{colour}"><title>{Escape(unit.Name ?? unit.UnitId)}: {F(unit.Value)} ({unit.Numerator:0.##} of {unit.Denominator:0.##})</title></circle>""");
            if (!unit.Highlighted) continue;
            svg.Append(CultureInfo.InvariantCulture,
                $"""<circle class="highlight" cx="{F(X(unit.Denominator))}" cy="{F(Y(unit.Value))}" r="9" fill="none" stroke="#231f20" stroke-width="2"/>""");
            svg.Append(CultureInfo.InvariantCulture,
                $"""<text x="{F(X(unit.Denominator) + 12)}" y="{F(Y(unit.Value) + 4)}" fill="#231f20">{Escape(unit.Name ?? unit.UnitId)}</text>""");
        }
        svg.Append(CultureInfo.InvariantCulture,
            $"""<text x="{Left + PlotWidth / 2}" y="{Height - 12}" text-anchor="middle" fill="#425563">denominator</text></svg>""");
        return svg.ToString();
    }

    /// <summary>Outside the limits on the better side is improvement, on the worse side concern.</summary>
    public static string Colour(string position, string improvement)
    {
        if (position == "within" || improvement is not ("increase" or "decrease")) return SpcSvg.Common;
        var high = position.StartsWith("above", StringComparison.Ordinal);
        return high == (improvement == "increase") ? SpcSvg.Improvement : SpcSvg.Concern;
    }

    private static string F(double v) => v.ToString("0.###", CultureInfo.InvariantCulture);
    private static string Escape(string text) => SecurityElement.Escape(text) ?? "";
}

public static class FunnelEndpoints
{
    public static RouteGroupBuilder MapFunnelEndpoints(this RouteGroupBuilder routes)
    {
        var api = routes.MapGroup("").RequireScope(Scopes.ReadAggregate);
        api.MapGet("/funnel/{indicatorId}", async (string indicatorId, string? period, string? from, string? to,
                string? adjustment, string? highlight, HttpContext http, Funnels funnels, CancellationToken ct) =>
            await funnels.BuildAsync(indicatorId, period, from, to, adjustment, highlight, await http.UnitScopeAsync(), ct) is var (view, problem)
                && problem is null ? Results.Ok(view) : problem)
            .WithSummary("Funnel plot of a proportion or rate across units for a month or period, with overdispersion " +
                "adjustment (additive by default; multiplicative or none)");
        api.MapGet("/funnel/{indicatorId}/funnel.svg", async (string indicatorId, string? period, string? from, string? to,
                string? adjustment, string? highlight, HttpContext http, Funnels funnels, CancellationToken ct) =>
            await funnels.BuildAsync(indicatorId, period, from, to, adjustment, highlight, await http.UnitScopeAsync(), ct) is var (view, problem)
                && problem is null ? Results.Text(FunnelSvg.Render(view!), "image/svg+xml") : problem)
            .WithSummary("The funnel plot drawn in the Making Data Count colours");
        return routes;
    }
}

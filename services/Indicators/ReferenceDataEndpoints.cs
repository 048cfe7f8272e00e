using Icp.Contracts.Indicators;
using Icp.Hosting;
using Icp.Indicators.Domain;

namespace Icp.Indicators;

/// <summary>Organisation units, the indicator catalogue and the values as they stand.</summary>
public static class ReferenceDataEndpoints
{
    public static WebApplicationBuilder AddReferenceData(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ReferenceDataService>();
        return builder;
    }

    public static RouteGroupBuilder MapReferenceData(this RouteGroupBuilder api)
    {
        api.MapPut("/units/{unitId}", PutUnit);
        api.MapPost("/units/{unitId}/attributes", AddUnitAttribute);
        api.MapGet("/units", (ReferenceDataService service, CancellationToken ct) => service.ListUnitsAsync(ct));
        api.MapGet("/units/{unitId}", GetUnit);

        api.MapGet("/indicators/default-catalogue", () => DefaultCatalogue.Indicators.Select(e => new
        {
            indicatorId = e.IndicatorId, e.Definition.Name, e.Definition.Domain, e.Definition.Measure, e.Definition.Improvement,
            e.Definition.Target, e.Definition.Chart, e.Definition.UnitLabel,
        }));
        api.MapPost("/indicators/default-catalogue", LoadDefaultCatalogue);
        api.MapPut("/indicators/{indicatorId}", PutIndicator);
        api.MapGet("/indicators", (ReferenceDataService service, CancellationToken ct) => service.ListIndicatorsAsync(ct));
        api.MapGet("/indicators/{indicatorId}", GetIndicator);
        // For an indicator with categories, name the type with ?category= (or ask for the series id {indicatorId}:{category}).
        api.MapGet("/indicators/{indicatorId}/units/{unitId}/values", (string indicatorId, string unitId, string? category,
            FeedQueries queries, CancellationToken ct) => queries.GetSeriesAsync(IndicatorSeries.Id(indicatorId, category), unitId, ct));
        api.MapGet("/indicators/{indicatorId}/units/{unitId}/values/{period}/history", GetValueHistory);
        return api;
    }

    private static async Task<IResult> PutUnit(string unitId, UnitRequest request, ReferenceDataService service, CancellationToken ct)
    {
        var errors = ReferenceDataValidation.Validate(unitId, request);
        if (errors.Count > 0) return Problems.Validation(errors);
        var outcome = await service.SaveUnitAsync(unitId, request, ct);
        var unit = await service.GetUnitAsync(unitId, ct);
        return outcome == SaveOutcome.Created ? Results.Created($"/api/v1/units/{unitId}", unit) : Results.Ok(unit);
    }

    private static async Task<IResult> AddUnitAttribute(string unitId, UnitAttributeRequest request, ReferenceDataService service,
        CancellationToken ct)
    {
        var errors = new List<ValidationError>();
        ReferenceDataValidation.ValidateAttributes([request], errors);
        if (errors.Count > 0) return Problems.Validation(errors.Select(e => e with { Field = e.Field.Replace("attributes[0].", "") }).ToList());
        return await service.SetUnitAttributeAsync(unitId, request, ct) is null
            ? Problems.NotFound("No such unit.")
            : Results.Ok(await service.GetUnitAsync(unitId, ct));
    }

    private static async Task<IResult> GetUnit(string unitId, ReferenceDataService service, CancellationToken ct) =>
        await service.GetUnitAsync(unitId, ct) is { } unit ? Results.Ok(unit) : Problems.NotFound("No such unit.");

    private static async Task<IResult> LoadDefaultCatalogue(ReferenceDataService service, CancellationToken ct)
    {
        var (created, kept) = await service.LoadDefaultCatalogueAsync(ct);
        return Results.Ok(new { created, kept });
    }

    private static async Task<IResult> PutIndicator(string indicatorId, IndicatorRequest request, ReferenceDataService service,
        CancellationToken ct)
    {
        var errors = ReferenceDataValidation.Validate(indicatorId, request);
        if (errors.Count > 0) return Problems.Validation(errors);
        var outcome = await service.SaveIndicatorAsync(indicatorId, request, ct);
        var indicator = await service.GetIndicatorAsync(indicatorId, ct);
        return outcome == SaveOutcome.Created ? Results.Created($"/api/v1/indicators/{indicatorId}", indicator) : Results.Ok(indicator);
    }

    private static async Task<IResult> GetIndicator(string indicatorId, ReferenceDataService service, CancellationToken ct) =>
        await service.GetIndicatorAsync(indicatorId, ct) is { } indicator ? Results.Ok(indicator) : Problems.NotFound("No such indicator.");

    private static async Task<IResult> GetValueHistory(string indicatorId, string unitId, string period, string? category,
        FeedQueries queries, CancellationToken ct) =>
        await queries.GetHistoryAsync(IndicatorSeries.Id(indicatorId, category), unitId, period, ct) is { } history
            ? Results.Ok(history)
            : Problems.NotFound("No value of this indicator for this unit and month has been received.");
}

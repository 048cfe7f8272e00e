using Icp.Contracts.Indicators;
using Icp.Hosting;
using Icp.Hosting.Security;
using Icp.Indicators.Domain;

namespace Icp.Indicators;

/// <summary>Organisation units, the indicator catalogue and the values as they stand.</summary>
public static class ReferenceDataEndpoints
{
    public static WebApplicationBuilder AddReferenceData(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ReferenceDataService>();
        builder.Services.AddSingleton<StoredUnitSystems>();
        builder.Services.AddSingleton<UnitSystems>(sp => sp.GetRequiredService<StoredUnitSystems>());
        return builder;
    }

    // Source clients read the catalogue they submit against; everyone else needs read:aggregate.
    private static readonly string[] Readers = [Scopes.ReadAggregate, Scopes.FeedsWrite];

    public static RouteGroupBuilder MapReferenceData(this RouteGroupBuilder api)
    {
        api.MapPut("/units/{unitId}", PutUnit).RequireScope(Scopes.Admin);
        api.MapPost("/units/{unitId}/attributes", AddUnitAttribute).RequireScope(Scopes.Admin).RequireUnitInScope();
        api.MapGet("/units", ListUnits).RequireScope(Readers);
        api.MapGet("/units/{unitId}", GetUnit).RequireScope(Readers).RequireUnitInScope();

        api.MapGet("/indicators/default-catalogue", () => DefaultCatalogue.Indicators.Select(e => new
        {
            indicatorId = e.IndicatorId, e.Definition.Name, e.Definition.Domain, e.Definition.Measure, e.Definition.Improvement,
            e.Definition.Target, e.Definition.Chart, e.Definition.UnitLabel,
        })).RequireScope(Readers);
        api.MapPost("/indicators/default-catalogue", LoadDefaultCatalogue).RequireScope(Scopes.Admin);
        api.MapPut("/indicators/{indicatorId}", PutIndicator).RequireScope(Scopes.Admin);
        api.MapGet("/indicators", (ReferenceDataService service, CancellationToken ct) => service.ListIndicatorsAsync(ct)).RequireScope(Readers);
        api.MapGet("/indicators/{indicatorId}", GetIndicator).RequireScope(Readers);
        // For an indicator with categories, name the type with ?category= (or ask for the series id {indicatorId}:{category}).
        api.MapGet("/indicators/{indicatorId}/units/{unitId}/values", (string indicatorId, string unitId, string? category,
            FeedQueries queries, CancellationToken ct) => queries.GetSeriesAsync(IndicatorSeries.Id(indicatorId, category), unitId, ct))
            .RequireScope(Scopes.ReadAggregate).RequireUnitInScope();
        api.MapGet("/indicators/{indicatorId}/units/{unitId}/values/{period}/history", GetValueHistory)
            .RequireScope(Scopes.ReadAggregate).RequireUnitInScope();

        api.MapPut("/interventions/{interventionId}", PutIntervention)
            .RequireScope(Scopes.Admin)
            .WithSummary("Record or revise an entry of a unit's intervention log (what changed, when, by whom)");
        api.MapGet("/interventions/{interventionId}", GetIntervention).RequireScope(Scopes.ReadAggregate);
        api.MapGet("/interventions", ListInterventions)
            .RequireScope(Scopes.ReadAggregate)
            .WithSummary("The intervention log, by unit and month (format=csv to export it)");
        return api;
    }

    /// <summary>Every unit's system, for the other services' organisation checks (never routed by the gateway).</summary>
    public static void MapUnitSystems(this IEndpointRouteBuilder app) =>
        app.MapGet("/" + RemoteUnitSystems.Path, (StoredUnitSystems units, CancellationToken ct) => units.AllAsync(ct))
            .RequireServiceSecret().ExcludeFromDescription();

    private static async Task<IResult> ListUnits(HttpContext http, ReferenceDataService service, CancellationToken ct)
    {
        var units = await service.ListUnitsAsync(ct);
        // The listed units are the ones asked about: one newer than the cached unit tree makes it be read again, so a
        // unit just created is listed for its system's callers at once rather than up to 10 s later.
        var scope = await http.UnitScopeAsync(units.Select(u => u.GetProperty("unitId").GetString()!).ToList());
        return Results.Ok(units.Where(u => scope.Includes(u.GetProperty("unitId").GetString())));
    }

    private static async Task<IResult> GetIntervention(string interventionId, HttpContext http, ReferenceDataService service,
        CancellationToken ct)
    {
        var entry = await service.GetInterventionAsync(interventionId, ct);
        var unitId = entry?.GetProperty("unitId").GetString();
        return entry is { } found && (await http.UnitScopeAsync(unitId is null ? null : [unitId])).Includes(unitId)
            ? Results.Ok(found)
            : Problems.NotFound("No such entry.");
    }

    private static async Task<IResult> PutIntervention(string interventionId, InterventionRequest request, HttpContext http,
        ReferenceDataService service, TimeProvider clock, CancellationToken ct)
    {
        var errors = InterventionValidation.Validate(interventionId, request, DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime));
        if (errors.Count > 0) return Problems.Validation(errors);
        var existingUnit = (await service.GetInterventionAsync(interventionId, ct))?.GetProperty("unitId").GetString();
        var scope = await http.UnitScopeAsync([request.UnitId!, .. existingUnit is null ? Array.Empty<string>() : [existingUnit]]);
        if (existingUnit is not null && !scope.Includes(existingUnit)) return Problems.NotFound("No such entry.");
        if (!scope.Includes(request.UnitId)) return Problems.Validation([new(null, "unitId", "No such unit.")]);
        var (outcome, unknown) = await service.SaveInterventionAsync(interventionId, request, ct);
        if (unknown is not null) return Problems.Validation([new(null, unknown, unknown == "unitId" ? "No such unit." : "No such indicator.")]);
        var entry = await service.GetInterventionAsync(interventionId, ct);
        return outcome == SaveOutcome.Created ? Results.Created($"/api/v1/interventions/{interventionId}", entry) : Results.Ok(entry);
    }

    private static async Task<IResult> ListInterventions(string? unitId, string? format, HttpContext http, ReferenceDataService service,
        CancellationToken ct)
    {
        if (unitId is not null && !Icp.Hosting.Intake.Ids.IsValid(unitId))
            return Problems.Validation([new(null, "unitId", Icp.Hosting.Intake.Ids.Rule)]);
        if (format is not (null or "json" or "csv")) return Problems.Validation([new(null, "format", "Either json or csv.")]);
        var scope = await http.UnitScopeAsync();
        var entries = (await service.ListInterventionsAsync(unitId, ct)).Where(e => scope.Includes(e.UnitId)).ToList();
        if (format != "csv") return Results.Ok(new { total = entries.Count, entries });
        var csv = new System.Text.StringBuilder("interventionId,unitId,indicatorId,month,kind,title,description,recordedBy,storyIds\r\n");
        foreach (var e in entries)
            csv.AppendJoin(',', new[] { e.InterventionId, e.UnitId, e.IndicatorId, e.Month, e.Kind, e.Title, e.Description, e.RecordedBy,
                string.Join(' ', e.StoryIds) }.Select(Csv)).Append("\r\n");
        return Results.Text(csv.ToString(), "text/csv; charset=utf-8");
    }

    // RFC 4180 quoting; a cell a spreadsheet would read as a formula is prefixed with an apostrophe.
    private static string Csv(string? value)
    {
        var text = value ?? "";
        if (text.Length > 0 && "=+-@".Contains(text[0])) text = "'" + text;
        return text.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? $"\"{text.Replace("\"", "\"\"")}\"" : text;
    }

    private static async Task<IResult> PutUnit(string unitId, UnitRequest request, HttpContext http, ReferenceDataService service,
        CancellationToken ct)
    {
        var errors = ReferenceDataValidation.Validate(unitId, request);
        if (errors.Count > 0) return Problems.Validation(errors);
        // An administrator of some systems changes units under them only, and places units under them only.
        if (!http.Caller().SeesAllSystems)
        {
            var scope = await http.UnitScopeAsync([unitId, .. request.ParentId is null ? Array.Empty<string>() : [request.ParentId]]);
            if (await service.GetUnitAsync(unitId, ct) is not null && !scope.Includes(unitId)) return Problems.NotFound(UnitScope.NotFoundDetail);
            var isOwnSystem = request.Kind == "system" && request.ParentId is null && scope.Includes(unitId);
            if (!isOwnSystem && !scope.Includes(request.ParentId))
                return Problems.Validation([new(null, "parentId", "Place the unit under a unit of one of your systems.")]);
        }
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

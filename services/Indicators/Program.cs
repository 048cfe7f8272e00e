using System.Text.Json;
using Icp.Contracts.Indicators;
using Icp.Hosting;
using Icp.Hosting.Messaging;
using Icp.Indicators;
using Icp.Indicators.Domain;

var builder = WebApplication.CreateBuilder(args);
builder.AddIcpServiceDefaults(new ServiceInfo("indicators")).AddIcpEventStore();
builder.AddIcpMessaging(relayOutbox: true);
builder.Services.AddSingleton<ISchemaSetup, IndicatorsSchema>();
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton<ReferenceDataService>();
builder.Services.AddSingleton<FeedService>();
builder.Services.AddSingleton<FeedQueries>();
builder.Services.AddOpenApi();
var maxFeedBytes = builder.Configuration.GetValue("Feeds:MaxBodyBytes", 64L * 1024 * 1024);
builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = maxFeedBytes + 1);

var app = builder.Build();
app.MapIcpDefaults();
app.MapOutboxAdmin();
app.MapOpenApi("/openapi/{documentName}.json");

var api = app.MapGroup("/api/v1");

api.MapPut("/units/{unitId}", async (string unitId, UnitRequest request, ReferenceDataService service, CancellationToken ct) =>
{
    var errors = ReferenceDataValidation.Validate(unitId, request);
    if (errors.Count > 0) return Problems.Validation(errors);
    var outcome = await service.SaveUnitAsync(unitId, request, ct);
    var unit = await service.GetUnitAsync(unitId, ct);
    return outcome == SaveOutcome.Created ? Results.Created($"/api/v1/units/{unitId}", unit) : Results.Ok(unit);
});
api.MapPost("/units/{unitId}/attributes", async (string unitId, UnitAttributeRequest request, ReferenceDataService service, CancellationToken ct) =>
{
    var errors = new List<ValidationError>();
    ReferenceDataValidation.ValidateAttributes([request], errors);
    if (errors.Count > 0) return Problems.Validation(errors.Select(e => e with { Field = e.Field.Replace("attributes[0].", "") }).ToList());
    return await service.SetUnitAttributeAsync(unitId, request, ct) is null
        ? Problems.NotFound($"No unit '{unitId}'.")
        : Results.Ok(await service.GetUnitAsync(unitId, ct));
});
api.MapGet("/units", (ReferenceDataService service, CancellationToken ct) => service.ListUnitsAsync(ct));
api.MapGet("/units/{unitId}", async (string unitId, ReferenceDataService service, CancellationToken ct) =>
    await service.GetUnitAsync(unitId, ct) is { } unit ? Results.Ok(unit) : Problems.NotFound($"No unit '{unitId}'."));

api.MapGet("/indicators/default-catalogue", () => DefaultCatalogue.Indicators.Select(e => new
{
    indicatorId = e.IndicatorId, e.Definition.Name, e.Definition.Domain, e.Definition.Measure, e.Definition.Improvement,
    e.Definition.Target, e.Definition.Chart, e.Definition.UnitLabel,
}));
api.MapPost("/indicators/default-catalogue", async (ReferenceDataService service, CancellationToken ct) =>
{
    var (created, kept) = await service.LoadDefaultCatalogueAsync(ct);
    return Results.Ok(new { created, kept });
});
api.MapPut("/indicators/{indicatorId}", async (string indicatorId, IndicatorRequest request, ReferenceDataService service, CancellationToken ct) =>
{
    var errors = ReferenceDataValidation.Validate(indicatorId, request);
    if (errors.Count > 0) return Problems.Validation(errors);
    var outcome = await service.SaveIndicatorAsync(indicatorId, request, ct);
    var indicator = await service.GetIndicatorAsync(indicatorId, ct);
    return outcome == SaveOutcome.Created ? Results.Created($"/api/v1/indicators/{indicatorId}", indicator) : Results.Ok(indicator);
});
api.MapGet("/indicators", (ReferenceDataService service, CancellationToken ct) => service.ListIndicatorsAsync(ct));
api.MapGet("/indicators/{indicatorId}", async (string indicatorId, ReferenceDataService service, CancellationToken ct) =>
    await service.GetIndicatorAsync(indicatorId, ct) is { } indicator ? Results.Ok(indicator) : Problems.NotFound($"No indicator '{indicatorId}'."));
// For an indicator with categories, name the type with ?category= (or ask for the series id {indicatorId}:{category}).
api.MapGet("/indicators/{indicatorId}/units/{unitId}/values", (string indicatorId, string unitId, string? category, FeedQueries queries,
        CancellationToken ct) => queries.GetSeriesAsync(IndicatorSeries.Id(indicatorId, category), unitId, ct));
api.MapGet("/indicators/{indicatorId}/units/{unitId}/values/{period}/history",
    async (string indicatorId, string unitId, string period, string? category, FeedQueries queries, CancellationToken ct) =>
        await queries.GetHistoryAsync(IndicatorSeries.Id(indicatorId, category), unitId, period, ct) is { } history
            ? Results.Ok(history)
            : Problems.NotFound($"No value of '{IndicatorSeries.Id(indicatorId, category)}' for '{unitId}' in {period} has been received."));

api.MapPost("/feeds", async (HttpRequest http, string? source, string? submissionId, FeedService feeds, CancellationToken ct) =>
{
    var body = await RequestBody.ReadAsync(http, maxFeedBytes, ct);
    if (body is null) return FeedBody.TooLarge(maxFeedBytes);
    FeedRequest request;
    List<ValidationError> parseErrors = [];
    if (FeedBody.IsCsv(http))
    {
        var (rows, errors) = FeedCsv.Parse(System.Text.Encoding.UTF8.GetString(body));
        request = new FeedRequest(source, submissionId, rows);
        parseErrors = errors;
        if (rows.Count == 0 && errors.Count > 0) return Problems.Validation(errors);
    }
    else if (FeedBody.IsJson(http))
    {
        try
        {
            request = JsonSerializer.Deserialize<FeedRequest>(body, ServiceDefaults.Json) ?? new FeedRequest(null, null, null);
        }
        catch (JsonException e)
        {
            return Problems.Validation([new ValidationError(null, "body", $"Not valid JSON: {e.Message}")]);
        }
    }
    else
    {
        return Results.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type.",
            detail: "Send a feed as application/json or text/csv.");
    }
    var result = await feeds.SubmitAsync(request, ct, parseErrors);
    return result.Accepted is { } accepted ? Results.Accepted($"/api/v1/feeds/{accepted.SubmissionId}", accepted) : Problems.Validation(result.Errors);
})
.Accepts<FeedRequest>("application/json", "text/csv")
.Produces<FeedAccepted>(StatusCodes.Status202Accepted)
.ProducesValidationProblem();
api.MapGet("/feeds", (string? source, int? limit, FeedQueries queries, CancellationToken ct) =>
    queries.ListSubmissionsAsync(source, Math.Clamp(limit ?? 100, 1, 1000), ct));
api.MapGet("/feeds/completeness", async (string? source, string? asOf, FeedQueries queries, CancellationToken ct) =>
{
    DateOnly? day = null;
    if (asOf is not null)
    {
        if (!DateOnly.TryParseExact(asOf, "yyyy-MM-dd", out var parsed))
            return Problems.Validation([new ValidationError(null, "asOf", "Use a date as YYYY-MM-DD.")]);
        day = parsed;
    }
    return Results.Ok(await queries.GetCompletenessAsync(source, day, ct));
});
api.MapGet("/feeds/{submissionId}", async (string submissionId, FeedQueries queries, CancellationToken ct) =>
    await queries.GetSubmissionAsync(submissionId, ct) is { } status
        ? Results.Ok(status)
        : Problems.NotFound($"No accepted submission '{submissionId}' (a rejected submission stores nothing)."));

app.Run();

/// <summary>Marks this assembly for test hosts that load several services.</summary>
public sealed class IndicatorsApiMarker;

public partial class Program;

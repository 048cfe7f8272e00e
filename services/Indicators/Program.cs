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
builder.Services.AddOpenApi();
builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = 64 * 1024 * 1024);

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
api.MapGet("/units", (ReferenceDataService service, CancellationToken ct) => service.ListUnitsAsync(ct));
api.MapGet("/units/{unitId}", async (string unitId, ReferenceDataService service, CancellationToken ct) =>
    await service.GetUnitAsync(unitId, ct) is { } unit ? Results.Ok(unit) : Problems.NotFound($"No unit '{unitId}'."));

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

api.MapPost("/feeds", async (FeedRequest request, FeedService feeds, CancellationToken ct) =>
{
    var result = await feeds.SubmitAsync(request, ct);
    return result.Accepted is { } accepted ? Results.Accepted(value: accepted) : Problems.Validation(result.Errors);
});

app.Run();

public partial class Program;

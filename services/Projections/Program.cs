using Icp.Hosting;
using Icp.Hosting.Messaging;
using Icp.Projections;
using Icp.Projections.ReadModels;

var builder = WebApplication.CreateBuilder(args);
builder.AddIcpServiceDefaults(new ServiceInfo("projections")).AddIcpEventStore();
builder.AddIcpMessaging(relayOutbox: false, configureConsumers: x => x.AddInboxConsumers());
builder.Services.AddSingleton<IndicatorReadModels>();
builder.Services.AddSingleton<ISchemaSetup>(sp => sp.GetRequiredService<IndicatorReadModels>());
builder.Services.AddSingleton<IReadModelProjection>(sp => sp.GetRequiredService<IndicatorReadModels>());
builder.Services.AddSingleton<ProjectionRunner>();
builder.Services.AddHostedService(sp => sp.GetRequiredService<ProjectionRunner>());
builder.Services.AddSingleton<SpcQueries>();
builder.Services.AddOpenApi();

var app = builder.Build();
app.MapIcpDefaults();
app.MapOpenApi("/openapi/{documentName}.json");

var api = app.MapGroup("/api/v1");

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

api.MapPost("/admin/rebuild", async (ProjectionRunner runner, CancellationToken ct) =>
{
    await runner.RequestRebuildAsync(ct);
    return Results.Accepted(value: new { status = "rebuilding" });
});

app.Run();

public partial class Program;

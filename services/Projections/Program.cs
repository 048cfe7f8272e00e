using Icp.Hosting;
using Icp.Hosting.Messaging;
using Icp.Projections;
using Icp.Projections.ReadModels;

var builder = WebApplication.CreateBuilder(args);
builder.AddIcpServiceDefaults(new ServiceInfo("projections")).AddIcpEventStore();
builder.AddIcpMessaging(relayOutbox: false, configureConsumers: x => x.AddInboxConsumers());
builder.Services.AddSingleton<ProjectionRunner>();
builder.Services.AddHostedService(sp => sp.GetRequiredService<ProjectionRunner>());
builder.Services.AddOpenApi();

// Read models, one line per area.
builder.Services.AddIndicatorReadModels();
builder.Services.AddCaseStudyReadModels();
builder.Services.AddSurveyReadModels();

var app = builder.Build();
app.MapIcpDefaults();
app.MapOpenApi("/openapi/{documentName}.json");

var api = app.MapGroup("/api/v1");
api.MapPost("/admin/rebuild", async (ProjectionRunner runner, CancellationToken ct) =>
{
    await runner.RequestRebuildAsync(ct);
    return Results.Accepted(value: new { status = "rebuilding" });
});

// Endpoints, one line per area.
api.MapSpcEndpoints();
api.MapCaseStudyEndpoints();
api.MapSurveyEndpoints();

app.Run();

public partial class Program;

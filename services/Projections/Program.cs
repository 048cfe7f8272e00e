using Icp.Hosting;
using Icp.Hosting.Messaging;
using Icp.Projections;
using Icp.Projections.ReadModels;

var builder = WebApplication.CreateBuilder(args);
builder.AddIcpServiceDefaults(new ServiceInfo("projections")).AddIcpProjectionStore();
builder.AddIcpMessaging(relayOutbox: false, configureConsumers: x => x.AddInboxConsumers());
builder.Services.AddSingleton<ProjectionRunner>();
builder.Services.AddHostedService(sp => sp.GetRequiredService<ProjectionRunner>());
builder.Services.AddSingleton<ProjectionLag>();
builder.Services.AddHostedService(sp => sp.GetRequiredService<ProjectionLag>());
builder.Services.Configure<ProjectionHealthOptions>(builder.Configuration.GetSection("Projections:Health"));
builder.Services.AddHealthChecks().AddCheck<ReadModelsHealthCheck>("read-models", tags: [ServiceDefaults.ReadyTag]);
builder.Services.AddOpenApi();
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton<LiveUpdates>();

// Read models, one line per area.
builder.Services.AddIndicatorReadModels();
builder.Services.AddCaseStudyReadModels();
builder.Services.AddSurveyReadModels();

var app = builder.Build();
app.MapIcpDefaults();
// The programme overview page (wwwroot/index.html), served through the gateway at /.
app.UseDefaultFiles();
app.UseStaticFiles();
app.MapOpenApi("/openapi/{documentName}.json");

var api = app.MapGroup("/api/v1");
api.MapPost("/admin/rebuild", async (ProjectionRunner runner, CancellationToken ct) =>
{
    await runner.RequestRebuildAsync(ct);
    return Results.Accepted(value: new { status = "rebuilding" });
});

// Endpoints, one line per area.
api.MapSpcEndpoints();
api.MapEventFeedEndpoints();
api.MapQuarantineEndpoints();
api.MapComparisonEndpoints();
api.MapDashboardEndpoints();
api.MapLiveUpdateEndpoints();
api.MapCaseStudyEndpoints();
api.MapSurveyEndpoints();

app.Run();

public partial class Program;

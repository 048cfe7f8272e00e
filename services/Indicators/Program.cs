using Icp.Hosting;
using Icp.Hosting.Security;
using Icp.Hosting.Messaging;
using Icp.Indicators;

var builder = WebApplication.CreateBuilder(args);
builder.AddIcpServiceDefaults(new ServiceInfo("indicators")).AddIcpAccessControl().AddIcpEventStore();
builder.AddIcpMessaging(relayOutbox: true);
builder.Services.AddSingleton<ISchemaSetup, IndicatorsSchema>();
builder.Services.AddSingleton(TimeProvider.System);
builder.AddIcpOpenApi();
builder.AddReferenceData();
builder.AddFeeds();

var app = builder.Build();
app.MapIcpDefaults();
app.MapOutboxAdmin();
app.MapIcpOpenApi();
app.MapUnitSystems();

var api = app.MapGroup("/api/v1");
api.MapReferenceData();
api.MapFeeds();

app.Run();

/// <summary>Marks this assembly for test hosts that load several services.</summary>
public sealed class IndicatorsApiMarker;

public partial class Program;

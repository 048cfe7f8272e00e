using Icp.Hosting;
using Icp.Hosting.Messaging;
using Icp.Referrals;

var builder = WebApplication.CreateBuilder(args);
builder.AddIcpServiceDefaults(new ServiceInfo("referrals")).AddIcpEventStore();
builder.AddIcpMessaging(relayOutbox: true);
builder.Services.AddSingleton<ISchemaSetup, ReferralsSchema>();
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddOpenApi();
builder.AddReferrals();

var app = builder.Build();
app.MapIcpDefaults();
app.MapOutboxAdmin();
app.MapOpenApi("/openapi/{documentName}.json");
app.MapGroup("/api/v1").MapReferrals();

app.Run();

/// <summary>Marks this assembly for test hosts that load several services.</summary>
public sealed class ReferralsApiMarker;

public partial class Program;

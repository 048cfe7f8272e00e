using Icp.Hosting;
using Icp.Hosting.Security;
using Icp.Hosting.Messaging;
using Icp.Referrals;

var builder = WebApplication.CreateBuilder(args);
builder.AddIcpServiceDefaults(new ServiceInfo("referrals")).AddIcpAccessControl().AddIcpEventStore();
builder.AddIcpMessaging(relayOutbox: true);
builder.Services.AddSingleton<ISchemaSetup, ReferralsSchema>();
builder.Services.AddSingleton(TimeProvider.System);
builder.AddIcpOpenApi();
builder.AddReferrals();
builder.Services.AddReadAudit();

var app = builder.Build();
app.MapIcpDefaults();
app.MapOutboxAdmin();
app.MapIcpOpenApi();
app.MapGroup("/api/v1").MapReferrals();
app.MapReadAuditExport("referrals");

app.Run();

/// <summary>Marks this assembly for test hosts that load several services.</summary>
public sealed class ReferralsApiMarker;

public partial class Program;

using Icp.Hosting;
using Icp.Hosting.Messaging;

// Skeleton: event store, outbox relay, health and OpenAPI are in place; the domain arrives with its own issue.
var builder = WebApplication.CreateBuilder(args);
builder.AddIcpServiceDefaults(new ServiceInfo("referrals")).AddIcpEventStore();
builder.AddIcpMessaging(relayOutbox: true);
builder.Services.AddOpenApi();

var app = builder.Build();
app.MapIcpDefaults();
app.MapOutboxAdmin();
app.MapOpenApi("/openapi/{documentName}.json");
app.Run();

public partial class Program;

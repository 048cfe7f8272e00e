using Icp.Hosting;
using Icp.Hosting.Security;
using Icp.Hosting.Messaging;
using Icp.Surveys;

var builder = WebApplication.CreateBuilder(args);
builder.AddIcpServiceDefaults(new ServiceInfo("surveys")).AddIcpAccessControl().AddIcpEventStore();
builder.AddIcpMessaging(relayOutbox: true);
builder.Services.AddSingleton<ISchemaSetup, SurveysSchema>();
builder.AddIcpOpenApi();
builder.AddSurveys();

var app = builder.Build();
app.MapIcpDefaults();
app.MapOutboxAdmin();
app.MapIcpOpenApi();
app.MapGroup("/api/v1").MapSurveys();
app.MapResponseKeyEndpoint();

app.Run();

public partial class Program;

namespace Icp.Surveys
{
    /// <summary>Names this assembly for test hosts (several services declare a global Program).</summary>
    public sealed class SurveysApiMarker;
}

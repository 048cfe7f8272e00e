using Icp.Hosting;
using Icp.Hosting.Messaging;
using Icp.Hosting.Security;
using Icp.Projections;
using Icp.Projections.CaseStudies;
using Icp.Projections.Comparison;
using Icp.Projections.Dashboard;
using Icp.Projections.EventLog;
using Icp.Projections.LiveUpdates;
using Icp.Projections.Referrals;
using Icp.Projections.Spc;
using Icp.Projections.Surveys;

var builder = WebApplication.CreateBuilder(args);
builder.AddIcpServiceDefaults(new ServiceInfo("projections")).AddIcpAccessControl().AddIcpProjectionStore();
builder.AddIcpMessaging(relayOutbox: false, configureConsumers: x => x.AddInboxConsumers());
builder.AddProjectionRunner();
builder.AddIcpOpenApi();
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSpc(); // the read models are applied in the order they are added
builder.Services.AddReferrals();
builder.Services.AddCaseStudies();
builder.Services.AddSurveys();
builder.Services.AddLiveUpdates();
builder.Services.AddAuditLog();

var app = builder.Build();
app.MapIcpDefaults();
app.MapOverviewPage();
app.MapIcpOpenApi();
app.MapGroup("/api/v1")
    .MapRebuildEndpoint()
    .MapQuarantineEndpoints()
    .MapAuditEndpoint()
    .MapSpc()
    .MapReferrals()
    .MapComparison()
    .MapDashboard()
    .MapEventLog()
    .MapLiveUpdates()
    .MapCaseStudies()
    .MapSurveys();
app.Run();

public partial class Program;

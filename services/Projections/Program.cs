using Icp.Hosting;
using Icp.Hosting.Security;
using Icp.Hosting.Messaging;
using Icp.Projections;
using Icp.Projections.CaseStudies;
using Icp.Projections.Comparison;
using Icp.Projections.Dashboard;
using Icp.Projections.EventLog;
using Icp.Projections.LiveUpdates;
using Icp.Projections.Spc;
using Icp.Projections.Surveys;

var builder = WebApplication.CreateBuilder(args);
builder.AddIcpServiceDefaults(new ServiceInfo("projections")).AddIcpAccessControl().AddIcpProjectionStore();
builder.AddIcpMessaging(relayOutbox: false, configureConsumers: x => x.AddInboxConsumers());
builder.AddProjectionRunner();
builder.AddIcpOpenApi();
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton<LiveUpdates>();
builder.Services.AddIndicatorReadModels();
builder.Services.AddCaseStudyReadModels();
builder.Services.AddSurveyReadModels();
builder.Services.AddAuditLog();

var app = builder.Build();
app.MapIcpDefaults();
app.MapOverviewPage();
app.MapIcpOpenApi();

var api = app.MapGroup("/api/v1");
api.MapRebuildEndpoint();
api.MapSpcEndpoints();
api.MapEventFeedEndpoints();
api.MapQuarantineEndpoints();
api.MapComparisonEndpoints();
api.MapDashboardEndpoints();
api.MapFunnelEndpoints();
api.MapLiveUpdateEndpoints();
api.MapCaseStudyEndpoints();
api.MapSurveyEndpoints();
api.MapAuditEndpoint();

app.Run();

public partial class Program;

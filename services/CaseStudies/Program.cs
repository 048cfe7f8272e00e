using Icp.CaseStudies;
using Icp.CaseStudies.Domain;
using Icp.Hosting;
using Icp.Hosting.Security;
using Icp.Hosting.Messaging;

var builder = WebApplication.CreateBuilder(args);
builder.AddIcpServiceDefaults(new ServiceInfo("casestudies")).AddIcpAccessControl().AddIcpEventStore();
builder.AddIcpMessaging(relayOutbox: true);
builder.Services.AddSingleton<ISchemaSetup, CaseStudiesSchema>();
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton<CaseRecordService>();
builder.Services.AddReadAudit();
builder.AddIcpOpenApi();

var app = builder.Build();
app.MapIcpDefaults();
app.MapOutboxAdmin();
app.MapIcpOpenApi();

var api = app.MapGroup("/api/v1");
api.MapCaseRecords<StoryRequest>("stories", "storyId");
api.MapCaseRecords<CaseStudyRequest>("case-studies", "caseStudyId");
api.MapCaseRecords<TheographRequest>("theographs", "theographId");
api.MapCaseRecords<RealistRequest>("realist-records", "realistRecordId");
app.MapNarrativeKeyEndpoint();
app.MapReadAuditExport("casestudies");

app.Run();

public partial class Program;

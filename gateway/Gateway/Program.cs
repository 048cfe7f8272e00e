using Icp.Gateway;
using Icp.Hosting;
using Icp.Hosting.Security;

// The one public entrance: validates every caller's token (or the admin key), limits each client's rate, forwards to
// the services (which validate again). Routes marked "AuthorizationPolicy": "anonymous" in appsettings.json are the
// sign-in, discovery, health and OpenAPI documents.
var builder = WebApplication.CreateBuilder(args);
builder.AddIcpServiceDefaults(new ServiceInfo("gateway")).AddIcpAccessControl();
builder.Services.AddReverseProxy().LoadFromConfig(builder.Configuration.GetSection("ReverseProxy"));
builder.Services.AddHttpClient();
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton<DestinationsHealthCheck>();
builder.Services.AddHealthChecks().AddCheck<DestinationsHealthCheck>("services", tags: [ServiceDefaults.ReadyTag]);

var limits = builder.Configuration.GetSection("Gateway");
builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = limits.GetValue("MaxRequestBodyBytes", 64L * 1024 * 1024));
builder.Services.AddClientRateLimits(limits);

var app = builder.Build();
app.MapIcpDefaults(screenJsonBodies: false);
app.UseRateLimiter();
app.MapReverseProxy().RequireRateLimiting(ClientRateLimits.Policy);
app.Run();

public partial class Program;

using System.Threading.RateLimiting;
using Icp.Gateway;
using Icp.Hosting;
using Microsoft.AspNetCore.RateLimiting;

var builder = WebApplication.CreateBuilder(args);
builder.AddIcpServiceDefaults(new ServiceInfo("gateway"));
builder.Services.AddReverseProxy().LoadFromConfig(builder.Configuration.GetSection("ReverseProxy"));
builder.Services.AddHttpClient();
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton<DestinationsHealthCheck>();
builder.Services.AddHealthChecks().AddCheck<DestinationsHealthCheck>("services", tags: [ServiceDefaults.ReadyTag]);

var limits = builder.Configuration.GetSection("Gateway");
builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = limits.GetValue("MaxRequestBodyBytes", 64L * 1024 * 1024));
builder.Services.AddRateLimiter(options =>
{
    options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
    options.AddPolicy("per-client", context => RateLimitPartition.GetTokenBucketLimiter(
        context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
        _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = limits.GetValue("RateLimit:Burst", 2000),
            TokensPerPeriod = limits.GetValue("RateLimit:PerSecond", 1000),
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
        }));
});

var app = builder.Build();
app.MapIcpDefaults(screenJsonBodies: false);
app.UseRateLimiter();
app.UseAdminKey(builder.Configuration["ICP_ADMIN_API_KEY"]);
app.MapReverseProxy().RequireRateLimiting("per-client");
app.Run();

public partial class Program;

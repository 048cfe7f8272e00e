using System.Threading.RateLimiting;
using Icp.Hosting.Security;
using Microsoft.AspNetCore.RateLimiting;

namespace Icp.Gateway;

/// <summary>
/// Token buckets per caller (the token's principal; the address for the unauthenticated), one for reads and a tighter
/// one for writes, so that one client's flood neither starves the others nor fills the stores. Configuration
/// Gateway:RateLimit:{PerSecond,Burst} for reads and Gateway:RateLimit:Writes:{PerSecond,Burst} for writes.
/// </summary>
public static class ClientRateLimits
{
    public const string Policy = "per-client";

    public static IServiceCollection AddClientRateLimits(this IServiceCollection services, IConfiguration limits)
    {
        var reads = Bucket(limits.GetSection("RateLimit"), perSecond: 1000, burst: 2000);
        var writes = Bucket(limits.GetSection("RateLimit:Writes"), perSecond: 200, burst: 400);
        return services.AddRateLimiter(options =>
        {
            options.OnRejected = async (context, ct) =>
            {
                var http = context.HttpContext;
                http.Response.Headers.RetryAfter = "1";
                await Results.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many requests.",
                    detail: "This client sent more requests than its limit allows; wait a second and send again.").ExecuteAsync(http);
            };
            options.AddPolicy(Policy, context =>
            {
                var caller = context.Caller();
                var who = caller.IsAuthenticated ? "principal:" + caller.Principal : "address:" + context.Connection.RemoteIpAddress;
                var write = !(HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method));
                return RateLimitPartition.GetTokenBucketLimiter((who, write), _ => write ? writes : reads);
            });
        });
    }

    private static TokenBucketRateLimiterOptions Bucket(IConfiguration section, int perSecond, int burst) => new()
    {
        TokenLimit = section.GetValue("Burst", burst),
        TokensPerPeriod = section.GetValue("PerSecond", perSecond),
        ReplenishmentPeriod = TimeSpan.FromSeconds(1),
        QueueLimit = 0,
    };
}

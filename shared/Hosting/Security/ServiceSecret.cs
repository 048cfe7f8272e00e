using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Icp.Hosting.Security;

/// <summary>
/// Service-to-service endpoints (under /internal, never routed by the gateway) answer only a caller presenting the
/// shared service secret (<c>NarrativeKeys:SharedSecret</c>, sent as X-Icp-Service-Secret), or the admin key. With no
/// secret configured they answer no one: the keys they hand out open sealed narratives and free text.
/// </summary>
public static class ServiceSecret
{
    public const string Header = "X-Icp-Service-Secret";
    public const string Setting = "NarrativeKeys:SharedSecret";

    /// <summary>Adds this service's secret to a call to another service's /internal endpoint.</summary>
    public static void Present(HttpRequestMessage request, IConfiguration configuration)
    {
        if (configuration[Setting] is { Length: > 0 } secret) request.Headers.Add(Header, secret);
    }

    public static TBuilder RequireServiceSecret<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AllowAnonymous().AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            var configuration = http.RequestServices.GetRequiredService<IConfiguration>();
            var presented = http.Request.Headers[Header].ToString();
            var adminKey = http.Request.Headers[AccessSettings.AdminKeyHeader].ToString();
            if (AdminKeyHandler.Matches(configuration[Setting], presented)
                || AdminKeyHandler.Matches(configuration[AccessSettings.AdminKeySetting], adminKey))
                return await next(context);
            return Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Authentication is required.",
                detail: $"This endpoint is for the platform's own services: present the service secret as {Header}.");
        });
}

using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Tokens;

namespace Icp.Hosting.Security;

/// <summary>
/// Every caller proves who it is: a bearer token from the configured issuer (validated here, whatever the gateway did)
/// or the admin key. Everything needs one except what is marked anonymous (health, OpenAPI, sign-in). Scopes are asked
/// for per endpoint with <see cref="RequireScope"/>; 401 and 403 are answered as RFC 9457 problems.
/// </summary>
public static class AccessControl
{
    private const string SelectorScheme = "icp";

    public static WebApplicationBuilder AddIcpAccessControl(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var section = builder.Configuration.GetSection(AccessSettings.Section);
        var settings = section.Get<AccessSettings>() ?? new AccessSettings();
        services.Configure<AccessSettings>(section);
        services.AddSingleton<AccessControlMarker>();
        // Which system each unit is under, for the organisation checks (the indicators service registers its own).
        services.AddRemoteUnitSystems();
        services.TryAddSingleton(TimeProvider.System);
        services.AddAuthentication(SelectorScheme)
            .AddPolicyScheme(SelectorScheme, "Bearer token or admin key", o => o.ForwardDefaultSelector = context =>
                context.Request.Headers.ContainsKey(AccessSettings.AdminKeyHeader) ? AdminKeyHandler.SchemeName : JwtBearerDefaults.AuthenticationScheme)
            .AddScheme<AuthenticationSchemeOptions, AdminKeyHandler>(AdminKeyHandler.SchemeName, null)
            .AddJwtBearer(o =>
            {
                o.Authority = settings.Authority;
                if (settings.MetadataAddress is { Length: > 0 } metadata) o.MetadataAddress = metadata;
                o.Audience = settings.Audience;
                o.RequireHttpsMetadata = !IsLoopback(settings.MetadataAddress ?? settings.Authority);
                o.MapInboundClaims = false;
                o.RefreshOnIssuerKeyNotFound = true;
                o.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidateIssuer = true,
                    ValidateAudience = true,
                    ValidateLifetime = true,
                    RequireExpirationTime = true,
                    RequireSignedTokens = true,
                    ClockSkew = settings.ClockSkew,
                };
                o.Events = new JwtBearerEvents
                {
                    OnTokenValidated = context =>
                    {
                        context.Principal = new(CallerClaims.FromToken(context.Principal!, settings));
                        return Task.CompletedTask;
                    },
                };
            });
        // A rotated-in key is fetched at once, while the token naming it waits (IssuerConfiguration). After JwtBearer's
        // own post-configuration, so it reads the metadata address and back-channel that made.
        services.PostConfigure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, o =>
            o.ConfigurationManager = new IssuerConfiguration(o.MetadataAddress!,
                new HttpDocumentRetriever(o.Backchannel) { RequireHttps = o.RequireHttpsMetadata }, TimeProvider.System));
        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder(SelectorScheme).RequireAuthenticatedUser().Build());
        services.AddSingleton<IAuthorizationHandler, ScopeRequirementHandler>();
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, ProblemAuthorizationResultHandler>();
        return builder;
    }

    /// <summary>Callers need at least one of <paramref name="anyOf"/> (the admin key has them all).</summary>
    public static TBuilder RequireScope<TBuilder>(this TBuilder builder, params string[] anyOf) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization(new AuthorizationPolicyBuilder(SelectorScheme)
            .RequireAuthenticatedUser().AddRequirements(new ScopeRequirement(anyOf)).Build());

    internal static bool IsEnabled(IServiceProvider services) => services.GetService<AccessControlMarker>() is not null;

    private static bool IsLoopback(string url) => Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.IsLoopback;

    private sealed class AccessControlMarker;
}

public sealed record ScopeRequirement(IReadOnlyList<string> AnyOf) : IAuthorizationRequirement;

internal sealed class ScopeRequirementHandler : AuthorizationHandler<ScopeRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ScopeRequirement requirement)
    {
        if (Caller.Of(context.User).HasAny(requirement.AnyOf)) context.Succeed(requirement);
        return Task.CompletedTask;
    }
}

/// <summary>401 and 403 as problem details that say what was missing, beside the scheme's WWW-Authenticate header.</summary>
internal sealed class ProblemAuthorizationResultHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult result)
    {
        if (result.Challenged)
        {
            // The authentication middleware keeps only successful results; the handler caches its result per request.
            var failure = (await context.AuthenticateAsync()).Failure;
            await context.ChallengeAsync();
            await Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Authentication is required.",
                detail: failure is null
                    ? $"Send an access token (Authorization: Bearer …) from the platform's identity server, or the admin key as {AccessSettings.AdminKeyHeader}."
                    : Describe(failure)).ExecuteAsync(context);
            return;
        }
        if (result.Forbidden)
        {
            var scopes = result.AuthorizationFailure?.FailedRequirements.OfType<ScopeRequirement>().SelectMany(r => r.AnyOf).Distinct().ToList();
            await Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden.",
                detail: scopes is { Count: > 0 }
                    ? $"This needs the scope {string.Join(" or ", scopes)}, which the token does not carry."
                    : "The token does not allow this.").ExecuteAsync(context);
            return;
        }
        await _default.HandleAsync(next, context, policy, result);
    }

    // Says which check failed without echoing the token or the library's own wording.
    private static string Describe(Exception failure) => failure switch
    {
        SecurityTokenExpiredException => "The access token has expired.",
        SecurityTokenInvalidAudienceException => "The access token is not addressed to this platform (audience).",
        SecurityTokenInvalidIssuerException => "The access token was not issued by the platform's identity server.",
        SecurityTokenSignatureKeyNotFoundException or SecurityTokenInvalidSignatureException => "The access token's signature is not valid.",
        _ when failure.Message == "The admin key is not valid." => failure.Message,
        _ => "The access token is not valid.",
    };
}

using System.Security.Cryptography;
using System.Text;
using Icp.Identity.Server;
using Microsoft.AspNetCore.Authentication;
using OpenIddict.Abstractions;
using OpenIddict.Validation.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Icp.Identity.Admin;

/// <summary>
/// Who may manage clients, people and keys: the operator's admin key (ICP_ADMIN_API_KEY as X-Api-Key, compared in
/// constant time) or an access token from this server with the <c>admin</c> scope. With no admin key configured only
/// tokens are accepted: a credentials service fails closed.
/// </summary>
public static class AdminAccess
{
    public const string KeyHeader = "X-Api-Key";
    public const string KeySetting = "ICP_ADMIN_API_KEY";

    public static RouteGroupBuilder RequireAdmin(this RouteGroupBuilder group)
    {
        // What the filter below enforces, in the form the OpenAPI document reads (shared OperationAccess).
        group.WithMetadata(new Icp.Hosting.Security.ScopeRequirement([Icp.Hosting.Security.Scopes.Admin]));
        group.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            var configured = http.RequestServices.GetRequiredService<IConfiguration>()[KeySetting];
            if (http.Request.Headers.TryGetValue(KeyHeader, out var given))
                return KeyMatches(configured, given.ToString()) ? await next(context)
                    : Unauthorized(http, "The admin key is not valid.");
            if (!http.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
                return Unauthorized(http, $"Send an access token with the admin scope, or the admin key as {KeyHeader}.");
            var result = await http.AuthenticateAsync(OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme);
            if (!result.Succeeded) return Unauthorized(http, "The access token is not valid.");
            return result.Principal.HasScope(Icp.Hosting.Security.Scopes.Admin)
                ? await next(context)
                : Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden.",
                    detail: $"The token lacks the {Icp.Hosting.Security.Scopes.Admin} scope.");
        });
        return group;
    }

    // Both sides hashed first, so the comparison takes the same time whatever the lengths.
    private static bool KeyMatches(string? configured, string given) =>
        !string.IsNullOrEmpty(configured) && CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(configured)), SHA256.HashData(Encoding.UTF8.GetBytes(given)));

    private static IResult Unauthorized(HttpContext http, string detail)
    {
        http.Response.Headers.WWWAuthenticate = "Bearer";
        return Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Authentication is required.", detail: detail);
    }
}

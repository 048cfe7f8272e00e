using System.Security.Claims;
using Icp.Identity.People;
using Icp.Identity.Storage;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Icp.Identity.Server;

/// <summary>
/// The protocol endpoints whose decisions are the platform's: OpenIddict validates each request (client, secret,
/// PKCE, redirect URI, scope permissions) before these handlers run, and issues the tokens they sign in.
/// Discovery, JWKS, revocation and introspection are OpenIddict's alone.
/// </summary>
public static class OidcEndpoints
{
    private const string Server = OpenIddictServerAspNetCoreDefaults.AuthenticationScheme;

    public static WebApplication MapOpenIdConnect(this WebApplication app)
    {
        // Anonymous to the platform's access control: OpenIddict authenticates these requests by the protocol's own rules.
        app.MapPost("/connect/token", ExchangeAsync).AllowAnonymous();
        app.MapMethods("/connect/authorize", [HttpMethods.Get, HttpMethods.Post], AuthorizeAsync).AllowAnonymous();
        app.MapMethods("/connect/userinfo", [HttpMethods.Get, HttpMethods.Post], UserInfoAsync).AllowAnonymous();
        return app;
    }

    private static async Task<IResult> ExchangeAsync(HttpContext http, IdentityDb db, UserManager<Person> people)
    {
        var request = http.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("Not an OpenID Connect request.");
        if (request.IsClientCredentialsGrantType())
        {
            var client = await db.ClientRegistrations.FindAsync(request.ClientId);
            if (client is null or { DisabledAt: not null })
                return Refuse(Errors.InvalidClient, "The client is not registered or has been disabled.");
            var identity = TokenClaims.ForClient(client, [.. request.GetScopes()]);
            return Results.SignIn(new ClaimsPrincipal(identity), authenticationScheme: Server);
        }
        if (request.IsAuthorizationCodeGrantType() || request.IsRefreshTokenGrantType())
        {
            // The code or refresh token, already validated by OpenIddict: who signed in and what they were granted.
            var granted = (await http.AuthenticateAsync(Server)).Principal;
            var person = granted?.GetClaim(Claims.Subject) is { } id ? await people.FindByIdAsync(id) : null;
            if (person is null || await people.IsLockedOutAsync(person))
                return Refuse(Errors.InvalidGrant, "The person may no longer sign in.");
            var roles = (await people.GetRolesAsync(person)).ToList();
            var identity = TokenClaims.ForPerson(person, roles, granted!.GetScopes());
            return Results.SignIn(new ClaimsPrincipal(identity), authenticationScheme: Server);
        }
        return Refuse(Errors.UnsupportedGrantType, "This grant type is not supported.");
    }

    private static async Task<IResult> AuthorizeAsync(HttpContext http, UserManager<Person> people)
    {
        var request = http.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("Not an OpenID Connect request.");
        var session = await http.AuthenticateAsync(IdentityConstants.ApplicationScheme);
        var person = session.Succeeded ? await people.GetUserAsync(session.Principal) : null;
        if (person is null || await people.IsLockedOutAsync(person))
        {
            if (request.HasPromptValue(PromptValues.None))
                return Refuse(Errors.LoginRequired, "The person is not signed in.");
            var query = http.Request.HasFormContentType ? QueryString.Create(http.Request.Form) : http.Request.QueryString;
            return Results.Challenge(new AuthenticationProperties { RedirectUri = http.Request.Path + query },
                [IdentityConstants.ApplicationScheme]);
        }
        // First-party clients only (registered by administrators): no consent screen.
        var roles = (await people.GetRolesAsync(person)).ToList();
        var identity = TokenClaims.ForPerson(person, roles, request.GetScopes());
        return Results.SignIn(new ClaimsPrincipal(identity), authenticationScheme: Server);
    }

    private static async Task<IResult> UserInfoAsync(HttpContext http, UserManager<Person> people)
    {
        var token = (await http.AuthenticateAsync(Server)).Principal;
        var person = token?.GetClaim(Claims.Subject) is { } id ? await people.FindByIdAsync(id) : null;
        if (person is null)
            return Results.Challenge(Properties(Errors.InvalidToken, "The token does not belong to a person."), [Server]);
        return Results.Ok(new Dictionary<string, object?>
        {
            [Claims.Subject] = person.Id,
            [Claims.Name] = person.UserName,
            [Claims.PreferredUsername] = person.UserName,
            [Claims.Role] = await people.GetRolesAsync(person),
            [IcpClaims.Systems] = person.Systems,
        });
    }

    private static IResult Refuse(string error, string description) => Results.Forbid(Properties(error, description), [Server]);

    private static AuthenticationProperties Properties(string error, string description) => new(new Dictionary<string, string?>
    {
        [OpenIddictServerAspNetCoreConstants.Properties.Error] = error,
        [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = description,
    });
}

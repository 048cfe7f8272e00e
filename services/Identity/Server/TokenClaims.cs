using System.Security.Claims;
using Icp.Identity.Clients;
using Icp.Identity.People;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Icp.Identity.Server;

/// <summary>What a token says about a client or a person. Every claim goes into the access token (resource servers
/// read them there); a person's name, roles and systems also into the identity token.</summary>
public static class TokenClaims
{
    public static ClaimsIdentity ForClient(ClientRegistration client, IReadOnlyCollection<string> requestedScopes)
    {
        var identity = NewIdentity();
        identity.SetClaim(Claims.Subject, client.ClientId).SetClaim(Claims.Name, client.DisplayName);
        if (client.Source is { Length: > 0 } source) identity.SetClaim(IcpClaims.Source, source);
        identity.SetClaims(IcpClaims.Systems, [.. client.Systems]);
        identity.SetClaims(IcpClaims.Units, [.. client.Units]);
        identity.SetClaims(IcpClaims.Indicators, [.. client.Indicators]);
        // No scope asked for: every scope the client was granted (the token response lists them).
        var scopes = requestedScopes.Count > 0 ? requestedScopes : client.Scopes.Where(ApiScopes.Api.Contains).ToList();
        return Finish(identity, scopes, person: false);
    }

    public static ClaimsIdentity ForPerson(Person person, IReadOnlyCollection<string> roles, IEnumerable<string> requestedScopes)
    {
        var identity = NewIdentity();
        identity.SetClaim(Claims.Subject, person.Id)
            .SetClaim(Claims.Name, person.UserName)
            .SetClaim(Claims.PreferredUsername, person.UserName);
        identity.SetClaims(Claims.Role, [.. roles]);
        identity.SetClaims(IcpClaims.Systems, [.. person.Systems]);
        // A person is granted what they asked for, as far as their roles allow; never more.
        var allowed = Roles.ScopesOf(roles).Concat(ApiScopes.SignIn).ToHashSet(StringComparer.Ordinal);
        return Finish(identity, requestedScopes.Where(allowed.Contains).Distinct(), person: true);
    }

    private static ClaimsIdentity NewIdentity() =>
        new(TokenValidationParameters.DefaultAuthenticationType, Claims.Name, Claims.Role);

    private static ClaimsIdentity Finish(ClaimsIdentity identity, IEnumerable<string> scopes, bool person)
    {
        identity.SetScopes(scopes).SetAudiences(ApiScopes.Audience);
        identity.SetDestinations(claim => claim.Type switch
        {
            Claims.Name or Claims.PreferredUsername or Claims.Role or IcpClaims.Systems when person =>
                [Destinations.AccessToken, Destinations.IdentityToken],
            _ => [Destinations.AccessToken],
        });
        return identity;
    }
}

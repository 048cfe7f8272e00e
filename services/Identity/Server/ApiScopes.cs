using Icp.Hosting.Security;
using Oidc = OpenIddict.Abstractions.OpenIddictConstants;

namespace Icp.Identity.Server;

/// <summary>The scopes the identity server offers: the platform's API scopes (<see cref="Scopes"/>) and OpenID Connect's.</summary>
public static class ApiScopes
{
    public const string Audience = "icp-api";

    /// <summary>What a client may be granted (and a person's roles map to).</summary>
    public static readonly IReadOnlyList<string> Api = Scopes.All;

    /// <summary>The OpenID Connect scopes a sign-in client may also ask for.</summary>
    public static readonly IReadOnlyList<string> SignIn = [Oidc.Scopes.OpenId, Oidc.Scopes.Profile, Oidc.Scopes.OfflineAccess];

    public static readonly IReadOnlySet<string> All = Api.Concat(SignIn).ToHashSet(StringComparer.Ordinal);
}

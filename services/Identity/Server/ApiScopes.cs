using Oidc = OpenIddict.Abstractions.OpenIddictConstants;

namespace Icp.Identity.Server;

/// <summary>The platform's API scopes and the claims its tokens carry (docs/operations.md, "Identity").</summary>
public static class ApiScopes
{
    public const string Audience = "icp-api";

    public const string FeedsWrite = "feeds:write";
    public const string ReferralsWrite = "referrals:write";
    public const string SurveysWrite = "surveys:write";
    public const string CaseStudiesWrite = "casestudies:write";
    public const string ReadAggregate = "read:aggregate";
    public const string ReadSensitive = "read:sensitive";
    public const string ConsentManage = "consent:manage";
    public const string Admin = "admin";

    /// <summary>What a client may be granted (and a person's roles map to).</summary>
    public static readonly IReadOnlyList<string> Api =
        [FeedsWrite, ReferralsWrite, SurveysWrite, CaseStudiesWrite, ReadAggregate, ReadSensitive, ConsentManage, Admin];

    /// <summary>The OpenID Connect scopes a sign-in client may also ask for.</summary>
    public static readonly IReadOnlyList<string> SignIn = [Oidc.Scopes.OpenId, Oidc.Scopes.Profile, Oidc.Scopes.OfflineAccess];

    public static readonly IReadOnlySet<string> All = Api.Concat(SignIn).ToHashSet(StringComparer.Ordinal);
}

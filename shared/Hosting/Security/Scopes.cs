namespace Icp.Hosting.Security;

/// <summary>The platform's API scopes: what a token (or the admin key) allows. docs/security.md has the table.</summary>
public static class Scopes
{
    public const string FeedsWrite = "feeds:write";
    public const string ReferralsWrite = "referrals:write";
    public const string SurveysWrite = "surveys:write";
    public const string CaseStudiesWrite = "casestudies:write";
    /// <summary>Charts, dashboard, comparisons, survey statistics with small cells suppressed.</summary>
    public const string ReadAggregate = "read:aggregate";
    /// <summary>Narratives, survey free text, referral-level rows, the raw event feed.</summary>
    public const string ReadSensitive = "read:sensitive";
    /// <summary>Validate, publish and withdraw qualitative records.</summary>
    public const string ConsentManage = "consent:manage";
    /// <summary>Units, indicators, clients, users, rebuilds, replays.</summary>
    public const string Admin = "admin";

    public static readonly IReadOnlyList<string> All =
        [FeedsWrite, ReferralsWrite, SurveysWrite, CaseStudiesWrite, ReadAggregate, ReadSensitive, ConsentManage, Admin];
}

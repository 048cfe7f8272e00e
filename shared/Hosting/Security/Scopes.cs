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

    /// <summary>What a scope opens, in a sentence (the OpenAPI documents list these).</summary>
    public static string Describe(string scope) => scope switch
    {
        FeedsWrite => "Submit monthly indicator feeds as the client's own source.",
        ReferralsWrite => "Submit referral steps and bulk referral files.",
        SurveysWrite => "Submit survey responses and withdrawals; set up instruments and waves.",
        CaseStudiesWrite => "Write stories, case studies, theographs and realist records, and work on one's own drafts.",
        ReadAggregate => "Charts, dashboard, comparisons, funnels, survey statistics (small cells suppressed).",
        ReadSensitive => "Narratives, survey free text, referral-level rows, the raw event feed.",
        ConsentManage => "Validate, publish and withdraw qualitative records.",
        Admin => "Units, indicators, clients, people, keys, rebuilds, replays, quarantines.",
        _ => scope,
    };
}

using Icp.Hosting.Security;
namespace Icp.Identity.Server;

/// <summary>
/// People's roles and the scopes each grants: the one place the mapping is written down. A person's token carries
/// the union of their roles' scopes, limited to what the signing-in client asked for and may be granted.
/// </summary>
public static class Roles
{
    public const string Viewer = "viewer";
    public const string Analyst = "analyst";
    public const string Storyteller = "storyteller";
    public const string DataSteward = "data-steward";
    public const string Administrator = "administrator";

    public static readonly IReadOnlyDictionary<string, string[]> GrantedScopes = new Dictionary<string, string[]>
    {
        // Charts, dashboards, comparisons, survey statistics (small cells suppressed).
        [Viewer] = [Scopes.ReadAggregate],
        // Adds referral-level rows, survey free text and narratives for analysis.
        [Analyst] = [Scopes.ReadAggregate, Scopes.ReadSensitive],
        // Writes stories and case studies; reads their own drafts (ownership is checked by the service).
        [Storyteller] = [Scopes.ReadAggregate, Scopes.CaseStudiesWrite],
        // Validates, publishes and withdraws qualitative records, so must read them.
        [DataSteward] = [Scopes.ReadAggregate, Scopes.ReadSensitive, Scopes.ConsentManage],
        // Units, indicators, clients, users, rebuilds, replays; not the sensitive data itself.
        [Administrator] = [Scopes.ReadAggregate, Scopes.Admin],
    };

    public static readonly IReadOnlyList<string> All = [.. GrantedScopes.Keys];

    public static IEnumerable<string> ScopesOf(IEnumerable<string> roles) =>
        roles.Where(GrantedScopes.ContainsKey).SelectMany(r => GrantedScopes[r]).Distinct(StringComparer.Ordinal);
}

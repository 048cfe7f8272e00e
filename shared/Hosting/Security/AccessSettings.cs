namespace Icp.Hosting.Security;

/// <summary>
/// Which tokens the gateway and the services accept (section <c>Auth</c>). The defaults fit the platform's own identity
/// server; another OpenID Connect provider (an organisation's Entra ID, say) is configured by changing these alone.
/// </summary>
public sealed class AccessSettings
{
    public const string Section = "Auth";
    public const string AdminKeySetting = "ICP_ADMIN_API_KEY";
    public const string AdminKeyHeader = "X-Api-Key";

    /// <summary>The issuer; its discovery document names the signing keys.</summary>
    public string Authority { get; set; } = "http://127.0.0.1:8080/";
    /// <summary>Where the discovery document is, when not under the authority (e.g. fetched inside the network).</summary>
    public string? MetadataAddress { get; set; }
    public string Audience { get; set; } = "icp-api";
    public string ScopeClaim { get; set; } = "scope";
    public string RoleClaim { get; set; } = "role";
    public string SystemsClaim { get; set; } = "icp_systems";
    public string SourceClaim { get; set; } = "source";
    public string UnitsClaim { get; set; } = "icp_units";
    public string IndicatorsClaim { get; set; } = "icp_indicators";
    /// <summary>The claims naming the caller in event metadata and the audit log, first present wins.</summary>
    public string[] PrincipalClaims { get; set; } = ["preferred_username", "client_id", "sub"];
    /// <summary>Tolerated clock difference between the issuer and this process.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);
}

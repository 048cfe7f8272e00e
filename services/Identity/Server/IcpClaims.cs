namespace Icp.Identity.Server;

/// <summary>Names of the claims the platform's tokens carry beside the standard ones (sub, client_id, scope, role).</summary>
public static class IcpClaims
{
    /// <summary>The source system a client submits as (feeds, referral steps, survey responses).</summary>
    public const string Source = "source";

    /// <summary>The systems (boroughs) a client or person belongs to; one claim per system.</summary>
    public const string Systems = "icp_systems";

    /// <summary>Units and indicators a source-system client is registered for, when it is limited to some.</summary>
    public const string Units = "icp_units";
    public const string Indicators = "icp_indicators";
}

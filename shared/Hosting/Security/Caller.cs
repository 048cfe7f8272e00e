using System.Security.Claims;
using Microsoft.AspNetCore.Http;

namespace Icp.Hosting.Security;

/// <summary>
/// Who is calling, as the validated token (or the admin key) says: never from a header the caller could write. Built
/// from the platform's own claim types, which <see cref="CallerClaims"/> fills from whatever the issuer calls them.
/// </summary>
public sealed class Caller
{
    public static readonly Caller Anonymous = new(new ClaimsPrincipal(new ClaimsIdentity()));

    private Caller(ClaimsPrincipal user)
    {
        IsAuthenticated = user.Identity?.IsAuthenticated == true;
        Principal = user.FindFirst(CallerClaims.Principal)?.Value ?? "anonymous";
        Scopes = Values(user, CallerClaims.Scope);
        Systems = Values(user, CallerClaims.System);
        Units = Values(user, CallerClaims.Unit);
        Indicators = Values(user, CallerClaims.Indicator);
        Source = user.FindFirst(CallerClaims.Source)?.Value;
        IsOperator = user.HasClaim(CallerClaims.Operator, "true");
    }

    public bool IsAuthenticated { get; }
    /// <summary>The name recorded in event metadata, revision history and the audit log.</summary>
    public string Principal { get; }
    public IReadOnlySet<string> Scopes { get; }
    /// <summary>The systems (boroughs) whose units the caller may see and change.</summary>
    public IReadOnlySet<string> Systems { get; }
    /// <summary>The source system a client submits as; null for people and the operator.</summary>
    public string? Source { get; }
    /// <summary>Units and indicators a source client is registered for; empty when it is not limited to some.</summary>
    public IReadOnlySet<string> Units { get; }
    public IReadOnlySet<string> Indicators { get; }
    /// <summary>The admin key: every scope, every system, any source.</summary>
    public bool IsOperator { get; }

    public bool SeesAllSystems => IsOperator || Systems.Contains(CallerClaims.AllSystems);

    public bool Has(string scope) => IsOperator || Scopes.Contains(scope);

    public bool HasAny(IEnumerable<string> scopes) => scopes.Any(Has);

    /// <summary>Whether a unit under <paramref name="systemId"/> (null: a unit under no known system) is the caller's.</summary>
    public bool MaySee(string? systemId) => SeesAllSystems || (systemId is not null && Systems.Contains(systemId));

    /// <summary>
    /// The source a submission is stored under: a source client's own (a submission may leave it out, or must name
    /// that one), any the operator names. Anyone else may not submit as a source system.
    /// </summary>
    public (string? Source, string? Refusal) SourceFor(string? requested)
    {
        if (IsOperator) return (requested, null);
        if (Source is not { } own) return (null, "This caller is not registered as a source system, so it cannot submit. Nothing was stored.");
        if (requested is not null && requested != own)
            return (null, $"This client submits as '{own}'; the submission names another source. Nothing was stored.");
        return (own, null);
    }

    /// <summary>Whose submissions the caller sees: a source client only its own, anyone else the one asked for (or all).</summary>
    public string? SubmissionsOf(string? requested) => !IsOperator && Source is { } own ? own : requested;

    public static Caller Of(ClaimsPrincipal? user) => user is null ? Anonymous : new Caller(user);

    private static HashSet<string> Values(ClaimsPrincipal user, string type) =>
        user.FindAll(type).Select(c => c.Value).ToHashSet(StringComparer.Ordinal);
}

public static class CallerExtensions
{
    public static Caller Caller(this HttpContext context) => Security.Caller.Of(context.User);
}

/// <summary>The claim types of an authenticated caller inside the platform, whoever issued the token.</summary>
public static class CallerClaims
{
    public const string AuthenticationType = "icp";
    public const string Principal = "icp:principal";
    public const string Scope = "icp:scope";
    public const string System = "icp:system";
    public const string Source = "icp:source";
    public const string Unit = "icp:unit";
    public const string Indicator = "icp:indicator";
    public const string Operator = "icp:operator";
    /// <summary>A system claim that stands for every system (a national integrator, say).</summary>
    public const string AllSystems = "*";

    /// <summary>The platform's claims from a validated token's, named as <paramref name="settings"/> says.</summary>
    public static ClaimsIdentity FromToken(ClaimsPrincipal token, AccessSettings settings)
    {
        var identity = new ClaimsIdentity(AuthenticationType, Principal, settings.RoleClaim);
        var principal = settings.PrincipalClaims.Select(type => token.FindFirst(type)?.Value)
            .FirstOrDefault(v => !string.IsNullOrWhiteSpace(v));
        identity.AddClaim(new(Principal, principal ?? "unnamed"));
        // OAuth sends scopes as one space-separated claim; some issuers send one claim per scope.
        foreach (var scope in token.FindAll(settings.ScopeClaim).SelectMany(c => c.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries)))
            identity.AddClaim(new(Scope, scope));
        Copy(token, identity, settings.SystemsClaim, System);
        Copy(token, identity, settings.UnitsClaim, Unit);
        Copy(token, identity, settings.IndicatorsClaim, Indicator);
        Copy(token, identity, settings.SourceClaim, Source);
        Copy(token, identity, settings.RoleClaim, settings.RoleClaim);
        return identity;
    }

    /// <summary>The operator holding the admin key.</summary>
    public static ClaimsIdentity ForOperator()
    {
        var identity = new ClaimsIdentity(AuthenticationType, Principal, null);
        identity.AddClaim(new(Principal, "operator"));
        identity.AddClaim(new(Operator, "true"));
        foreach (var scope in Scopes.All) identity.AddClaim(new(Scope, scope));
        return identity;
    }

    private static void Copy(ClaimsPrincipal token, ClaimsIdentity identity, string from, string to)
    {
        foreach (var claim in token.FindAll(from)) identity.AddClaim(new(to, claim.Value));
    }
}

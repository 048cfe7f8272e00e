using Icp.Hosting;
using Icp.Hosting.Intake;
using Icp.Identity.Admin;
using Icp.Identity.Server;

namespace Icp.Identity.Clients;

/// <summary>
/// <c>POST /api/v1/admin/clients</c>. A confidential client (the default) authenticates with a secret and gets tokens
/// with client credentials; one with <c>redirectUris</c> may also sign people in (authorization code + PKCE), and a
/// <c>public</c> one (a browser or native application) only that, with no secret.
/// </summary>
public sealed record CreateClientRequest(
    string? ClientId, string? DisplayName, string? Source, List<string>? Systems, List<string>? Scopes,
    List<string>? Units, List<string>? Indicators, List<string>? RedirectUris, bool? Public)
{
    public const int MaxSystems = 50;
    public const int MaxRegistered = 100;
    public const int MaxRedirectUris = 10;
    public const int MaxUriLength = 2000;

    public List<ValidationError> Validate()
    {
        var errors = new List<ValidationError>();
        Rules.Id(errors, "clientId", ClientId, required: true);
        Text.Check(errors, null, "displayName", DisplayName, Text.MaxName, required: true);
        Rules.Id(errors, "source", Source, required: false);
        Rules.Systems(errors, Systems, MaxSystems, required: false);
        Rules.IdList(errors, "units", Units, MaxRegistered, required: false);
        Rules.IdList(errors, "indicators", Indicators, MaxRegistered, required: false);
        var signsIn = RedirectUris is { Count: > 0 };
        Rules.OneOf(errors, "scopes", Scopes, signsIn ? ApiScopes.Api.Concat(ApiScopes.SignIn) : ApiScopes.Api, required: true);
        if (RedirectUris is { Count: > MaxRedirectUris })
            errors.Add(new(null, "redirectUris", $"At most {MaxRedirectUris} ({RedirectUris.Count} given)."));
        else
            for (var i = 0; i < (RedirectUris?.Count ?? 0); i++)
                if (RedirectUriProblem(RedirectUris![i]) is { } problem) errors.Add(new(null, $"redirectUris[{i}]", problem));
        if (Public == true && !signsIn)
            errors.Add(new(null, "redirectUris", "A public client signs people in: give at least one redirect URI."));
        return errors;
    }

    private static string? RedirectUriProblem(string? uri)
    {
        if (string.IsNullOrEmpty(uri)) return "Required.";
        if (uri.Length > MaxUriLength) return $"At most {MaxUriLength} characters ({uri.Length:N0} given).";
        if (Text.IndexOfForbidden(uri) >= 0 || !Uri.TryCreate(uri, UriKind.Absolute, out var parsed))
            return $"Not an absolute URI ({Text.Echo(uri)}).";
        if (parsed.Fragment.Length > 0) return "A redirect URI has no fragment (#…).";
        // Plain HTTP only to this machine (a developer's application); anything else over TLS.
        if (parsed.Scheme == Uri.UriSchemeHttps || (parsed.Scheme == Uri.UriSchemeHttp && parsed.IsLoopback)) return null;
        return "Use https (http only for a loopback address).";
    }
}

/// <summary>A client as administrators see it: never its secret.</summary>
public sealed record ClientView(string ClientId, string DisplayName, string? Source, List<string> Systems, List<string> Scopes,
    List<string> Units, List<string> Indicators, List<string> RedirectUris, bool Public, DateTimeOffset CreatedAt,
    DateTimeOffset? SecretResetAt, DateTimeOffset? DisabledAt)
{
    public static ClientView Of(ClientRegistration c) => new(c.ClientId, c.DisplayName, c.Source, c.Systems, c.Scopes, c.Units,
        c.Indicators, c.RedirectUris, c.Public, c.CreatedAt, c.SecretResetAt, c.DisabledAt);
}

/// <summary>The one answer that carries a client's secret: at creation and at a reset. It is not kept.</summary>
public sealed record ClientSecretIssued(ClientView Client, string ClientSecret, string Note);

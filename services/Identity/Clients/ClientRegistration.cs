namespace Icp.Identity.Clients;

/// <summary>
/// What the platform knows of a client beside its OpenIddict application (which holds the secret's hash, grant types
/// and scope permissions): the source it submits as, its systems, the units and indicators it is registered for.
/// Kept after the client is disabled, so an id is never handed to another system.
/// </summary>
public sealed class ClientRegistration
{
    public string ClientId { get; set; } = "";
    public string DisplayName { get; set; } = "";
    public string? Source { get; set; }
    public List<string> Systems { get; set; } = [];
    public List<string> Units { get; set; } = [];
    public List<string> Indicators { get; set; } = [];
    public List<string> Scopes { get; set; } = [];
    public List<string> RedirectUris { get; set; } = [];
    public bool Public { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? SecretResetAt { get; set; }
    public DateTimeOffset? DisabledAt { get; set; }
}

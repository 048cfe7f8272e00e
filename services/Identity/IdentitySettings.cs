namespace Icp.Identity;

/// <summary>Configuration section "Identity" (environment: Identity__Issuer, Identity__KeyEncryptionSecret, ...).</summary>
public sealed class IdentitySettings
{
    public const string Section = "Identity";

    /// <summary>The issuer every token names and discovery advertises: the gateway's address, since callers reach the
    /// server through it.</summary>
    public Uri Issuer { get; set; } = new("http://127.0.0.1:8080/");

    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(15);
    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromHours(8);
    public TimeSpan AuthorizationCodeLifetime { get; set; } = TimeSpan.FromMinutes(5);
    public TimeSpan IdentityTokenLifetime { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Refuse plain HTTP (behind a TLS-terminating proxy that sends X-Forwarded-Proto).</summary>
    public bool RequireHttps { get; set; }

    /// <summary>Secret from which the key that encrypts private signing keys at rest is derived (never committed).</summary>
    public string? KeyEncryptionSecret { get; set; }

    /// <summary>How often an instance reloads the key ring from the database (keys rotated by another instance,
    /// keys due for retirement).</summary>
    public TimeSpan KeyRefreshInterval { get; set; } = TimeSpan.FromMinutes(1);

    public LockoutSettings Lockout { get; set; } = new();

    /// <summary>How long a replaced signing key stays published and valid: the longest lifetime of anything it signed,
    /// plus five minutes for clock skew between servers.</summary>
    public TimeSpan KeyRetention =>
        new[] { AccessTokenLifetime, RefreshTokenLifetime, AuthorizationCodeLifetime, IdentityTokenLifetime }.Max()
        + TimeSpan.FromMinutes(5);
}

public sealed class LockoutSettings
{
    public int MaxFailedAttempts { get; set; } = 5;
    public TimeSpan Duration { get; set; } = TimeSpan.FromMinutes(15);
}

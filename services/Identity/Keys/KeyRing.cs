using Microsoft.IdentityModel.Tokens;

namespace Icp.Identity.Keys;

/// <summary>The keys in force at one moment: the signing key in use, every signing key still trusted (the current one
/// first), and the key that encrypts authorization codes and refresh tokens.</summary>
public sealed record KeyRing(RsaSecurityKey Current, IReadOnlyList<RsaSecurityKey> Trusted, SymmetricSecurityKey Encryption,
    DateTimeOffset? NextRetirement)
{
    public string Fingerprint => string.Join(',', Trusted.Select(k => k.KeyId)) + "|" + Encryption.KeyId;
}

namespace Icp.Identity.Keys;

/// <summary>
/// One key of the ring as stored: its private part encrypted (<see cref="KeyProtector"/>). A signing key is current
/// until <see cref="SupersededAt"/>, then still published and trusted until <see cref="RetireAt"/>, then deleted.
/// </summary>
public sealed class SigningKeyRecord
{
    public const string Signing = "sig";
    public const string Encryption = "enc";

    public string KeyId { get; set; } = "";
    public string Use { get; set; } = Signing;
    public string Algorithm { get; set; } = "";
    public byte[] ProtectedKey { get; set; } = [];
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? SupersededAt { get; set; }
    public DateTimeOffset? RetireAt { get; set; }
}

using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Icp.Identity.Keys;

/// <summary>
/// Encrypts private keys at rest with AES-256-GCM under a key derived (HKDF-SHA256) from Identity:KeyEncryptionSecret,
/// bound to the key's id so a stored blob cannot be moved to another row. Whoever reads the database without the
/// secret holds only ciphertext.
/// </summary>
public sealed class KeyProtector
{
    private const int NonceBytes = 12;
    private const int TagBytes = 16;
    public const int MinSecretLength = 16;

    private readonly byte[] _key;

    public KeyProtector(IOptions<IdentitySettings> settings)
    {
        var secret = settings.Value.KeyEncryptionSecret;
        if (string.IsNullOrWhiteSpace(secret) || secret.Length < MinSecretLength)
            throw new InvalidOperationException(
                $"Identity:KeyEncryptionSecret must be set (at least {MinSecretLength} characters; deploy/env.sh exports it " +
                "from .data/secrets.env): it protects the private signing keys.");
        _key = HKDF.DeriveKey(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(secret), 32,
            salt: Encoding.UTF8.GetBytes("icp-identity-key-ring"), info: Encoding.UTF8.GetBytes("aes-256-gcm v1"));
    }

    public byte[] Protect(string keyId, byte[] plaintext)
    {
        var output = new byte[NonceBytes + TagBytes + plaintext.Length];
        var nonce = output.AsSpan(0, NonceBytes);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_key, TagBytes);
        aes.Encrypt(nonce, plaintext, output.AsSpan(NonceBytes + TagBytes), output.AsSpan(NonceBytes, TagBytes),
            Encoding.UTF8.GetBytes(keyId));
        return output;
    }

    public byte[] Unprotect(string keyId, byte[] stored)
    {
        if (stored.Length < NonceBytes + TagBytes) throw new CryptographicException($"Key {keyId} is not a protected key.");
        var plaintext = new byte[stored.Length - NonceBytes - TagBytes];
        using var aes = new AesGcm(_key, TagBytes);
        aes.Decrypt(stored.AsSpan(0, NonceBytes), stored.AsSpan(NonceBytes + TagBytes), stored.AsSpan(NonceBytes, TagBytes),
            plaintext, Encoding.UTF8.GetBytes(keyId));
        return plaintext;
    }
}

using System.Security.Cryptography;
using System.Text;

namespace Icp.Contracts.CaseStudies;

/// <summary>
/// A record's narrative fields as one AES-256-GCM ciphertext (base64). The additional authenticated data binds the
/// ciphertext to its record id, so a ciphertext cannot be replayed as another record's narrative.
/// </summary>
public sealed record EncryptedNarrative(string Algorithm, string Nonce, string Ciphertext, string Tag);

/// <summary>Encrypts and decrypts narratives with a record's 256-bit data key.</summary>
public static class NarrativeCipher
{
    public const string Algorithm = "AES-256-GCM";
    public const int KeySizeBytes = 32;
    private const int NonceSizeBytes = 12;
    private const int TagSizeBytes = 16;

    public static byte[] NewKey() => RandomNumberGenerator.GetBytes(KeySizeBytes);

    public static EncryptedNarrative Encrypt(byte[] key, string recordId, string plaintext)
    {
        var nonce = RandomNumberGenerator.GetBytes(NonceSizeBytes);
        var clear = Encoding.UTF8.GetBytes(plaintext);
        var cipher = new byte[clear.Length];
        var tag = new byte[TagSizeBytes];
        using (var aes = new AesGcm(key, TagSizeBytes))
            aes.Encrypt(nonce, clear, cipher, tag, AssociatedData(recordId));
        return new EncryptedNarrative(Algorithm, Convert.ToBase64String(nonce), Convert.ToBase64String(cipher), Convert.ToBase64String(tag));
    }

    /// <summary>Throws <see cref="CryptographicException"/> when the key is not this record's or the ciphertext was altered.</summary>
    public static string Decrypt(byte[] key, string recordId, EncryptedNarrative narrative)
    {
        if (narrative.Algorithm != Algorithm) throw new CryptographicException($"Unknown narrative algorithm '{narrative.Algorithm}'.");
        var cipher = Convert.FromBase64String(narrative.Ciphertext);
        var clear = new byte[cipher.Length];
        using (var aes = new AesGcm(key, TagSizeBytes))
            aes.Decrypt(Convert.FromBase64String(narrative.Nonce), cipher, Convert.FromBase64String(narrative.Tag), clear,
                AssociatedData(recordId));
        return Encoding.UTF8.GetString(clear);
    }

    private static byte[] AssociatedData(string recordId) => Encoding.UTF8.GetBytes($"icp-case-record:{recordId}");
}

using System.Security.Cryptography;
using Icp.Contracts.CaseStudies;
using Xunit;

namespace Icp.CaseStudies.Tests;

public sealed class NarrativeCipherTests
{
    [Fact]
    public void Round_trips_with_the_record_key()
    {
        var key = NarrativeCipher.NewKey();
        var sealedText = NarrativeCipher.Encrypt(key, "st-1", "The duty desk rang back within the hour.");
        Assert.Equal("The duty desk rang back within the hour.", NarrativeCipher.Decrypt(key, "st-1", sealedText));
        Assert.DoesNotContain("duty", sealedText.Ciphertext);
    }

    [Fact]
    public void Another_key_cannot_read_it() =>
        Assert.ThrowsAny<CryptographicException>(() =>
            NarrativeCipher.Decrypt(NarrativeCipher.NewKey(), "st-1", NarrativeCipher.Encrypt(NarrativeCipher.NewKey(), "st-1", "text")));

    [Fact]
    public void A_ciphertext_is_bound_to_its_record()
    {
        var key = NarrativeCipher.NewKey();
        Assert.ThrowsAny<CryptographicException>(() => NarrativeCipher.Decrypt(key, "st-2", NarrativeCipher.Encrypt(key, "st-1", "text")));
    }

    [Fact]
    public void Each_encryption_uses_a_fresh_nonce()
    {
        var key = NarrativeCipher.NewKey();
        Assert.NotEqual(NarrativeCipher.Encrypt(key, "st-1", "same").Nonce, NarrativeCipher.Encrypt(key, "st-1", "same").Nonce);
    }
}

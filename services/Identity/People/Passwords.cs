using Microsoft.AspNetCore.Identity;

namespace Icp.Identity.People;

/// <summary>The password and username rules (NIST SP 800-63B: length over composition; a long passphrase is fine).</summary>
public static class Passwords
{
    public const int MinLength = 12;
    public const int MaxLength = 128;
    public const string UserNameCharacters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._@";

    private static readonly Person Nobody = new() { Id = "nobody", UserName = "nobody" };
    private static readonly Lazy<string> NobodysHash = new(() => new PasswordHasher<Person>().HashPassword(Nobody, Guid.NewGuid().ToString()));

    /// <summary>Verifies against a throwaway hash: the work a real check does, for an unknown username.</summary>
    public static void SpendVerification(IPasswordHasher<Person> hasher, string password) =>
        hasher.VerifyHashedPassword(Nobody, NobodysHash.Value, password);
}

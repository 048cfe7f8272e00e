using System.Security.Cryptography;
using Icp.Identity.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using Microsoft.IdentityModel.Tokens;

namespace Icp.Identity.Keys;

/// <summary>
/// Generates, stores, rotates and retires the server's keys (in the identity database, private parts encrypted), and
/// holds the ring in force. When the ring changes, OpenIddict's options are rebuilt (<see cref="ChangeToken"/>), so a
/// rotation takes effect without a restart, and tokens signed by a replaced key keep validating until it retires.
/// </summary>
public sealed class SigningKeyStore(IServiceScopeFactory scopes, KeyProtector protector, IOptions<IdentitySettings> settings,
    TimeProvider clock, ILogger<SigningKeyStore> logger)
{
    // Serialises key changes between instances sharing the database (any constant, the same in every instance).
    private const long LockId = 0x1c9_1de_7171;

    private readonly SemaphoreSlim _loading = new(1, 1);
    private CancellationTokenSource _changed = new();
    private KeyRing? _ring;

    public KeyRing Ring => _ring ?? LoadOnce();

    public IChangeToken ChangeToken => new CancellationChangeToken(_changed.Token);

    /// <summary>Retires keys whose time is up, creates the first keys on a new database, and reloads the ring.</summary>
    public async Task<KeyRing> RefreshAsync(CancellationToken ct = default)
    {
        await _loading.WaitAsync(ct);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<IdentityDb>();
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            await LockAsync(db, ct);
            var now = clock.GetUtcNow();
            var records = await db.SigningKeys.ToListAsync(ct);
            var retired = records.Where(r => r.RetireAt <= now).ToList();
            db.SigningKeys.RemoveRange(retired);
            foreach (var r in retired) logger.LogInformation("Signing key {KeyId} retired.", r.KeyId);
            records.RemoveAll(retired.Contains);
            if (!records.Any(r => r is { Use: SigningKeyRecord.Signing, SupersededAt: null }))
                records.Add(Add(db, NewSigningKey(now)));
            if (!records.Any(r => r.Use == SigningKeyRecord.Encryption))
                records.Add(Add(db, NewEncryptionKey(now)));
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            return Install(records);
        }
        finally
        {
            _loading.Release();
        }
    }

    /// <summary>Makes a new signing key current; the one it replaces stays trusted for <see cref="IdentitySettings.KeyRetention"/>.</summary>
    public async Task<KeyRing> RotateAsync(CancellationToken ct = default)
    {
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<IdentityDb>();
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            await LockAsync(db, ct);
            var now = clock.GetUtcNow();
            foreach (var current in await db.SigningKeys
                         .Where(r => r.Use == SigningKeyRecord.Signing && r.SupersededAt == null).ToListAsync(ct))
            {
                current.SupersededAt = now;
                current.RetireAt = now + settings.Value.KeyRetention;
                logger.LogInformation("Signing key {KeyId} replaced; trusted until {RetireAt:o}.", current.KeyId, current.RetireAt);
            }
            var created = Add(db, NewSigningKey(now));
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            logger.LogInformation("Signing key {KeyId} is now current.", created.KeyId);
        }
        return await RefreshAsync(ct);
    }

    private static Task LockAsync(IdentityDb db, CancellationToken ct) =>
        db.Database.ExecuteSqlRawAsync($"select pg_advisory_xact_lock({LockId})", ct);

    private static SigningKeyRecord Add(IdentityDb db, SigningKeyRecord record)
    {
        db.SigningKeys.Add(record);
        return record;
    }

    private SigningKeyRecord NewSigningKey(DateTimeOffset now)
    {
        using var rsa = RSA.Create(2048);
        var keyId = Base64UrlEncoder.Encode(JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(rsa))
            .ComputeJwkThumbprint());
        return new SigningKeyRecord
        {
            KeyId = keyId,
            Use = SigningKeyRecord.Signing,
            Algorithm = SecurityAlgorithms.RsaSha256,
            ProtectedKey = protector.Protect(keyId, rsa.ExportPkcs8PrivateKey()),
            CreatedAt = now,
        };
    }

    private SigningKeyRecord NewEncryptionKey(DateTimeOffset now)
    {
        var keyId = "enc-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        return new SigningKeyRecord
        {
            KeyId = keyId,
            Use = SigningKeyRecord.Encryption,
            Algorithm = SecurityAlgorithms.Aes256KW,
            ProtectedKey = protector.Protect(keyId, RandomNumberGenerator.GetBytes(32)),
            CreatedAt = now,
        };
    }

    private KeyRing Install(List<SigningKeyRecord> records)
    {
        var signing = records.Where(r => r.Use == SigningKeyRecord.Signing)
            .OrderBy(r => r.SupersededAt is null ? 0 : 1).ThenByDescending(r => r.CreatedAt)
            .Select(ToRsaKey).ToList();
        var encryption = records.Where(r => r.Use == SigningKeyRecord.Encryption).OrderByDescending(r => r.CreatedAt).First();
        var ring = new KeyRing(signing[0], signing,
            new SymmetricSecurityKey(protector.Unprotect(encryption.KeyId, encryption.ProtectedKey)) { KeyId = encryption.KeyId },
            records.Where(r => r.RetireAt is not null).Min(r => r.RetireAt));
        var previous = _ring;
        _ring = ring;
        if (previous is not null && previous.Fingerprint != ring.Fingerprint)
        {
            var changed = _changed;
            _changed = new CancellationTokenSource();
            changed.Cancel();
        }
        return ring;
    }

    private RsaSecurityKey ToRsaKey(SigningKeyRecord record)
    {
        var rsa = RSA.Create();
        rsa.ImportPkcs8PrivateKey(protector.Unprotect(record.KeyId, record.ProtectedKey), out _);
        return new RsaSecurityKey(rsa) { KeyId = record.KeyId };
    }

    // OpenIddict may ask for its options before the initializer has run (it normally runs first, at start-up).
    private KeyRing LoadOnce() => RefreshAsync().GetAwaiter().GetResult();
}

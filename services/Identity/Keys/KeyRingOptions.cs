using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Server;
using OpenIddict.Validation;

namespace Icp.Identity.Keys;

/// <summary>Hands the ring in force to OpenIddict's server: the current key first (it signs), the others only trusted.</summary>
public sealed class KeyRingServerOptions(SigningKeyStore store) : IConfigureOptions<OpenIddictServerOptions>
{
    public void Configure(OpenIddictServerOptions options)
    {
        var ring = store.Ring;
        foreach (var key in ring.Trusted)
            options.SigningCredentials.Add(new SigningCredentials(key, SecurityAlgorithms.RsaSha256));
        options.EncryptionCredentials.Add(
            new EncryptingCredentials(ring.Encryption, SecurityAlgorithms.Aes256KW, SecurityAlgorithms.Aes256CbcHmacSha512));
    }
}

/// <summary>Rebuilds OpenIddict's server options when the ring changes.</summary>
public sealed class KeyRingServerChange(SigningKeyStore store) : IOptionsChangeTokenSource<OpenIddictServerOptions>
{
    public string Name => Options.DefaultName;
    public IChangeToken GetChangeToken() => store.ChangeToken;
}

/// <summary>Rebuilds the local validation's options too (they copy the server's keys when built).</summary>
public sealed class KeyRingValidationChange(SigningKeyStore store) : IOptionsChangeTokenSource<OpenIddictValidationOptions>
{
    public string Name => Options.DefaultName;
    public IChangeToken GetChangeToken() => store.ChangeToken;
}

/// <summary>Reloads the ring now and then: retires keys whose time is up and picks up rotations made by other instances.</summary>
public sealed class KeyRingRefresher(SigningKeyStore store, IOptions<IdentitySettings> settings, ILogger<KeyRingRefresher> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(settings.Value.KeyRefreshInterval);
        while (await timer.WaitForNextTickAsync(ct))
        {
            try
            {
                await store.RefreshAsync(ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Could not reload the signing keys; the ring in force stays.");
            }
        }
    }
}

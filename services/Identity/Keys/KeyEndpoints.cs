using Icp.Identity.Admin;

namespace Icp.Identity.Keys;

/// <summary>Key rotation for operators: <c>POST /api/v1/admin/identity/signing-keys/rotate</c>, and the ring's state.</summary>
public static class KeyEndpoints
{
    public sealed record KeyView(string Kid, string Status);
    public sealed record RingView(string Current, IReadOnlyList<KeyView> Keys);

    public static WebApplication MapSigningKeys(this WebApplication app)
    {
        var group = app.MapGroup("/api/v1/admin/identity/signing-keys").RequireAdmin();
        group.MapGet("", (SigningKeyStore store) => View(store.Ring));
        group.MapPost("/rotate", async (SigningKeyStore store, CancellationToken ct) => View(await store.RotateAsync(ct)));
        return app;
    }

    private static RingView View(KeyRing ring) => new(ring.Current.KeyId,
        [.. ring.Trusted.Select(k => new KeyView(k.KeyId, k == ring.Current ? "current" : "retiring"))]);
}

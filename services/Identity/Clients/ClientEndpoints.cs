using System.Security.Cryptography;
using Icp.Hosting;
using Icp.Hosting.Intake;
using Icp.Identity.Admin;
using Icp.Identity.Server;
using Icp.Identity.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Icp.Identity.Clients;

/// <summary>Client management for administrators: create (the secret answered once), list, reset the secret, disable.</summary>
public static class ClientEndpoints
{
    private const string ShownOnce = "Store the secret now: it is not kept and cannot be shown again (only its hash is stored).";

    public static WebApplication MapClients(this WebApplication app)
    {
        var group = app.MapGroup("/api/v1/admin/clients").RequireAdmin();
        group.MapPost("", CreateAsync);
        group.MapGet("", ListAsync);
        group.MapGet("/{clientId}", GetAsync);
        group.MapPost("/{clientId}/secret", ResetSecretAsync);
        group.MapDelete("/{clientId}", DisableAsync);
        return app;
    }

    private static async Task<IResult> CreateAsync(CreateClientRequest request, IdentityDb db,
        IOpenIddictApplicationManager applications, TimeProvider clock, CancellationToken ct)
    {
        var errors = request.Validate();
        if (errors.Count > 0) return Problems.Validation(errors);
        if (await db.ClientRegistrations.AnyAsync(c => c.ClientId == request.ClientId, ct)
            || await applications.FindByClientIdAsync(request.ClientId!, ct) is not null)
            return Problems.Conflict($"A client '{request.ClientId}' exists or existed; client ids are never reused.");

        var client = new ClientRegistration
        {
            ClientId = request.ClientId!,
            DisplayName = request.DisplayName!.Trim(),
            Source = request.Source,
            Systems = request.Systems ?? [],
            Scopes = request.Scopes!,
            Units = request.Units ?? [],
            Indicators = request.Indicators ?? [],
            RedirectUris = request.RedirectUris ?? [],
            Public = request.Public == true,
            CreatedAt = clock.GetUtcNow(),
        };
        var secret = client.Public ? null : NewSecret();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        db.ClientRegistrations.Add(client);
        await db.SaveChangesAsync(ct);
        await applications.CreateAsync(Descriptor(client, secret), ct);
        await transaction.CommitAsync(ct);
        var view = ClientView.Of(client);
        return secret is null
            ? TypedResults.Created($"/api/v1/admin/clients/{client.ClientId}", view)
            : TypedResults.Created($"/api/v1/admin/clients/{client.ClientId}", new ClientSecretIssued(view, secret, ShownOnce));
    }

    private static async Task<Ok<List<ClientView>>> ListAsync(IdentityDb db, CancellationToken ct) =>
        TypedResults.Ok((await db.ClientRegistrations.AsNoTracking().OrderBy(c => c.ClientId).ToListAsync(ct))
            .Select(ClientView.Of).ToList());

    private static async Task<IResult> GetAsync(string clientId, IdentityDb db, CancellationToken ct) =>
        await FindAsync(clientId, db, ct) is { } client ? TypedResults.Ok(ClientView.Of(client)) : Missing(clientId);

    /// <summary>A new secret; the old one stops working at once (OpenIddict checks the stored hash on every request).</summary>
    private static async Task<IResult> ResetSecretAsync(string clientId, IdentityDb db, IOpenIddictApplicationManager applications,
        TimeProvider clock, CancellationToken ct)
    {
        if (await FindAsync(clientId, db, ct) is not { DisabledAt: null } client
            || await applications.FindByClientIdAsync(clientId, ct) is not { } application)
            return Missing(clientId);
        if (client.Public) return Problems.Validation([new(null, "clientId", "A public client has no secret.")]);
        var secret = NewSecret();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        client.SecretResetAt = clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
        await applications.UpdateAsync(application, secret, ct);
        await transaction.CommitAsync(ct);
        return TypedResults.Ok(new ClientSecretIssued(ClientView.Of(client), secret, ShownOnce));
    }

    /// <summary>Disables a client: its OpenIddict application (secret hash, permissions, stored tokens) is deleted, so
    /// it gets no new token; access tokens already issued expire on their own (15 minutes by default).</summary>
    private static async Task<IResult> DisableAsync(string clientId, IdentityDb db, IOpenIddictApplicationManager applications,
        TimeProvider clock, CancellationToken ct)
    {
        if (await FindAsync(clientId, db, ct) is not { } client) return Missing(clientId);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        client.DisabledAt ??= clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
        if (await applications.FindByClientIdAsync(clientId, ct) is { } application) await applications.DeleteAsync(application, ct);
        await transaction.CommitAsync(ct);
        return TypedResults.NoContent();
    }

    private static async Task<ClientRegistration?> FindAsync(string clientId, IdentityDb db, CancellationToken ct) =>
        Ids.IsValid(clientId) ? await db.ClientRegistrations.FindAsync([clientId], ct) : null;

    private static IResult Missing(string clientId) => Ids.IsValid(clientId)
        ? Problems.NotFound($"No client '{clientId}'.")
        : Problems.Validation([new(null, "clientId", $"Not a valid id ({Text.Echo(clientId)}). {Ids.Rule}")]);

    // 256 bits from the system's CSPRNG, URL-safe.
    private static string NewSecret() => Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));

    private static OpenIddictApplicationDescriptor Descriptor(ClientRegistration client, string? secret)
    {
        var descriptor = new OpenIddictApplicationDescriptor
        {
            ClientId = client.ClientId,
            ClientSecret = secret,
            DisplayName = client.DisplayName,
            ClientType = client.Public ? ClientTypes.Public : ClientTypes.Confidential,
            ConsentType = ConsentTypes.Implicit,
        };
        var permissions = descriptor.Permissions;
        permissions.UnionWith([Permissions.Endpoints.Token, Permissions.Endpoints.Revocation]);
        if (!client.Public)
            permissions.UnionWith([Permissions.GrantTypes.ClientCredentials, Permissions.Endpoints.Introspection]);
        if (client.RedirectUris.Count > 0)
        {
            permissions.UnionWith([Permissions.Endpoints.Authorization, Permissions.GrantTypes.AuthorizationCode,
                Permissions.GrantTypes.RefreshToken, Permissions.ResponseTypes.Code]);
            descriptor.Requirements.Add(Requirements.Features.ProofKeyForCodeExchange);
            foreach (var uri in client.RedirectUris) descriptor.RedirectUris.Add(new Uri(uri));
        }
        foreach (var scope in client.Scopes.Where(s => s is not (Scopes.OpenId or Scopes.OfflineAccess)))
            permissions.Add(Permissions.Prefixes.Scope + scope);
        return descriptor;
    }
}

using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Icp.Identity.Server;

/// <summary>
/// A token request for a scope the client was not granted is <c>invalid_scope</c> (RFC 6749 §5.2). OpenIddict's own
/// check, which runs just after this one, answers <c>invalid_request</c>.
/// </summary>
public sealed class ScopePermissionCheck(IOpenIddictApplicationManager applications)
    : IOpenIddictServerHandler<ValidateTokenRequestContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<ValidateTokenRequestContext>()
            .UseScopedHandler<ScopePermissionCheck>()
            .SetOrder(OpenIddictServerHandlers.Exchange.ValidateScopePermissions.Descriptor.Order - 1)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public async ValueTask HandleAsync(ValidateTokenRequestContext context)
    {
        if (string.IsNullOrEmpty(context.ClientId)) return;
        var application = await applications.FindByClientIdAsync(context.ClientId);
        if (application is null) return;
        foreach (var scope in context.Request.GetScopes())
        {
            if (scope is Scopes.OpenId or Scopes.OfflineAccess) continue;
            if (await applications.HasPermissionAsync(application, Permissions.Prefixes.Scope + scope)) continue;
            context.Reject(error: Errors.InvalidScope, description: $"This client may not be granted the scope '{scope}'.");
            return;
        }
    }
}

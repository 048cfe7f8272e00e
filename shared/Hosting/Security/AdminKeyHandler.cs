using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Icp.Hosting.Security;

/// <summary>
/// The operator's admin key (ICP_ADMIN_API_KEY sent as X-Api-Key): every scope and every system. Compared in constant
/// time (both sides hashed first, so neither the content nor the length leaks). No key configured: the header is refused.
/// </summary>
public sealed class AdminKeyHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger,
    UrlEncoder encoder, IConfiguration configuration) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "AdminKey";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(AccessSettings.AdminKeyHeader, out var given)) return Task.FromResult(AuthenticateResult.NoResult());
        if (!Matches(configuration[AccessSettings.AdminKeySetting], given.ToString()))
            return Task.FromResult(AuthenticateResult.Fail("The admin key is not valid."));
        var principal = new ClaimsPrincipal(CallerClaims.ForOperator());
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName)));
    }

    public static bool Matches(string? configured, string given) =>
        !string.IsNullOrEmpty(configured) && CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(configured)), SHA256.HashData(Encoding.UTF8.GetBytes(given)));
}

using System.Security.Cryptography;
using System.Text;

namespace Icp.Gateway;

/// <summary>
/// Administration and the raw event feed need the admin key (ICP_ADMIN_API_KEY, sent as X-Api-Key) whenever one is
/// configured. Without a configured key they stay open, for a developer's machine.
/// </summary>
public static class AdminKey
{
    public const string Header = "X-Api-Key";
    private static readonly string[] ProtectedPrefixes = ["/api/v1/admin", "/api/v1/events"];

    public static IApplicationBuilder UseAdminKey(this IApplicationBuilder app, string? key)
    {
        if (string.IsNullOrEmpty(key)) return app;
        var expected = Encoding.UTF8.GetBytes(key);
        return app.Use(async (context, next) =>
        {
            var path = context.Request.Path;
            var needsKey = ProtectedPrefixes.Any(prefix => path.StartsWithSegments(prefix, StringComparison.OrdinalIgnoreCase));
            var given = Encoding.UTF8.GetBytes(context.Request.Headers[Header].ToString());
            if (needsKey && !CryptographicOperations.FixedTimeEquals(given, expected))
            {
                await Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "An admin API key is required.",
                    detail: $"Send the admin key as the {Header} header.").ExecuteAsync(context);
                return;
            }
            await next();
        });
    }
}

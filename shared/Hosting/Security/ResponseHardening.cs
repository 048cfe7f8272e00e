using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Icp.Hosting.Security;

/// <summary>
/// Headers on every response, so that nothing the platform serves can be framed, sniffed into another type, run
/// script it did not mean to, or leak its address in a Referer. An endpoint that needs a wider Content-Security-Policy
/// (an HTML page with its own style sheet) sets its own; SVG is always sandboxed.
/// </summary>
public static class ResponseHardening
{
    /// <summary>What JSON, CSV and other non-page responses get: nothing may load, nothing may frame them.</summary>
    public const string ApiPolicy = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

    /// <summary>SVG charts: their own inline styles, no script (sandbox), no framing.</summary>
    public const string SvgPolicy = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; sandbox";

    /// <summary>A page of the platform's own files: script, styles and data from the same origin only.</summary>
    public const string PagePolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; " +
        "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    /// <summary>A generated page whose one inline style sheet is <paramref name="css"/>.</summary>
    public static string PolicyWithInlineStyle(string css) =>
        $"default-src 'none'; style-src 'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(css)))}'; " +
        "img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

    public static IApplicationBuilder UseResponseHardening(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        context.Response.OnStarting(() =>
        {
            Harden(context.Response);
            return Task.CompletedTask;
        });
        return next(context);
    });

    public static void Harden(HttpResponse response)
    {
        var headers = response.Headers;
        headers.Remove("Server");
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        if (string.IsNullOrEmpty(headers.XFrameOptions)) headers.XFrameOptions = "DENY";
        var type = response.ContentType ?? "";
        if (type.StartsWith("text/html", StringComparison.OrdinalIgnoreCase) && !type.Contains("charset", StringComparison.OrdinalIgnoreCase))
            response.ContentType = type + "; charset=utf-8";
        if (type.StartsWith("image/svg+xml", StringComparison.OrdinalIgnoreCase))
            headers.ContentSecurityPolicy = SvgPolicy;
        else if (string.IsNullOrEmpty(headers.ContentSecurityPolicy))
            headers.ContentSecurityPolicy = type.StartsWith("text/html", StringComparison.OrdinalIgnoreCase) ? PagePolicy : ApiPolicy;
    }
}

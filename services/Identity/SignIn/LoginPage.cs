using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;

namespace Icp.Identity.SignIn;

/// <summary>
/// The sign-in page as plain server-rendered HTML, in the NHS style kept minimal: one form, labelled fields, an error
/// summary. Its only style sheet is inline and allowed by hash, so the policy needs no 'unsafe-inline'.
/// </summary>
public static class LoginPage
{
    private const string Style = """
        body{margin:0;font-family:Arial,sans-serif;font-size:19px;line-height:1.5;color:#212b32;background:#f0f4f5}
        header{background:#005eb8;color:#fff;padding:16px 24px;font-weight:700;font-size:24px}
        main{max-width:480px;margin:32px auto;padding:0 16px}h1{font-size:32px;margin:0 0 24px}
        label{display:block;font-weight:700;margin:16px 0 4px}
        input[type=text],input[type=password]{width:100%;box-sizing:border-box;font-size:19px;padding:8px;
        border:2px solid #4c6272;border-radius:0}input:focus{outline:4px solid #ffeb3b;box-shadow:inset 0 0 0 2px #212b32}
        button,.button{margin-top:24px;background:#007f3b;color:#fff;border:0;padding:12px 16px;font-size:19px;
        font-weight:700;box-shadow:0 4px 0 #00401e;cursor:pointer;text-decoration:none;display:inline-block}
        .error-summary{border:4px solid #d5281b;padding:16px;background:#fff;margin-bottom:24px}
        .error-summary h2{margin:0 0 8px;font-size:24px}
        """;

    /// <summary>The Content-Security-Policy of every page here.</summary>
    public static readonly string ContentSecurityPolicy =
        $"default-src 'none'; style-src 'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(Style)))}'; " +
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    public static string Form(string antiforgeryField, string antiforgeryToken, string? returnUrl, string? username,
        string? error) => Page("Sign in", $"""
        {(error is null ? "" : $"""
        <div class="error-summary" role="alert" tabindex="-1"><h2>There is a problem</h2><p>{Html(error)}</p></div>
        """)}
        <h1>Sign in</h1>
        <form method="post" action="{LoginEndpoints.Path}" novalidate>
        <input type="hidden" name="{Html(antiforgeryField)}" value="{Html(antiforgeryToken)}">
        <input type="hidden" name="{LoginEndpoints.ReturnUrlField}" value="{Html(returnUrl ?? "")}">
        <label for="username">Username</label>
        <input type="text" id="username" name="username" autocomplete="username" spellcheck="false" value="{Html(username ?? "")}">
        <label for="password">Password</label>
        <input type="password" id="password" name="password" autocomplete="current-password">
        <button type="submit">Sign in</button>
        </form>
        """);

    /// <summary>After a sign-in, a page that moves on to <paramref name="next"/> by itself. A redirect would be part of
    /// the form's navigation, and browsers hold every hop of that (the client's redirect URI too) to form-action 'self'.</summary>
    public static string Continue(string next) => Page("Signed in", $"""
        <h1>You are signed in</h1>
        <p><a class="button" id="continue" href="{Html(next)}">Continue</a></p>
        """, refreshTo: next);

    public static string SignedIn() => Page("Signed in", "<h1>You are signed in</h1><p>You can close this page.</p>");

    private static string Page(string title, string body, string? refreshTo = null) => $"""
        <!DOCTYPE html>
        <html lang="en-GB">
        <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        {(refreshTo is null ? "" : $"""<meta http-equiv="refresh" content="0;url={Html(refreshTo)}">""")}
        <title>{Html(title)} – Integrated Care Platform</title><style>{Style}</style></head>
        <body><header>Integrated Care Platform</header><main>
        {body}
        </main></body></html>
        """;

    private static string Html(string value) => HtmlEncoder.Default.Encode(value);
}

using Icp.Hosting.Intake;
using Icp.Identity.People;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Identity;

namespace Icp.Identity.SignIn;

/// <summary><c>GET /account/login</c> shows the form; <c>POST</c> checks the password (lock-out counted) and moves on to
/// where the authorization endpoint sent the person.</summary>
public static class LoginEndpoints
{
    public const string Path = "/account/login";
    public const string ReturnUrlField = "ReturnUrl";

    // One message for every failure, so the page does not tell which usernames exist or are locked.
    private const string Failure = "The username or password is not right, or the account is locked after too many " +
                                   "attempts. Try again later, or ask an administrator to unlock it.";

    public static WebApplication MapSignIn(this WebApplication app)
    {
        var group = app.MapGroup("/account").AllowAnonymous();
        group.AddEndpointFilter(async (context, next) =>
        {
            SecurityHeaders.Apply(context.HttpContext.Response);
            return await next(context);
        });
        group.MapGet("/login", ShowAsync);
        group.MapPost("/login", SignInAsync).DisableAntiforgery(); // validated by hand, so a failure renders the page
        return app;
    }

    private static IResult ShowAsync(HttpContext http, IAntiforgery antiforgery, string? returnUrl) =>
        FormPage(http, antiforgery, LocalOrNull(returnUrl), null, null, StatusCodes.Status200OK);

    private static async Task<IResult> SignInAsync(HttpContext http, IAntiforgery antiforgery, SignInManager<Person> signIn)
    {
        if (!http.Request.HasFormContentType)
            return FormPage(http, antiforgery, null, null, "Send the sign-in form.", StatusCodes.Status400BadRequest);
        var form = await http.Request.ReadFormAsync();
        var returnUrl = LocalOrNull(form[ReturnUrlField]);
        var username = form["username"].ToString();
        var password = form["password"].ToString();
        if (!await antiforgery.IsRequestValidAsync(http))
            return FormPage(http, antiforgery, returnUrl, null, "The form had expired. Sign in again.",
                StatusCodes.Status400BadRequest);
        if (username.Length is 0 or > 256 || password.Length is 0 or > Passwords.MaxLength
            || Text.IndexOfForbidden(username) >= 0 || Text.IndexOfForbidden(password) >= 0)
            return FormPage(http, antiforgery, returnUrl, null, "Enter your username and password.",
                StatusCodes.Status400BadRequest);

        var person = await signIn.UserManager.FindByNameAsync(username);
        if (person is null)
        {
            // As long as a real check takes, so the answer's timing does not tell that the username is unknown.
            Passwords.SpendVerification(signIn.UserManager.PasswordHasher, password);
            return FormPage(http, antiforgery, returnUrl, username, Failure, StatusCodes.Status400BadRequest);
        }
        var result = await signIn.PasswordSignInAsync(person, password, isPersistent: false, lockoutOnFailure: true);
        if (!result.Succeeded)
            return FormPage(http, antiforgery, returnUrl, username, Failure, StatusCodes.Status400BadRequest);
        return Html(returnUrl is null ? LoginPage.SignedIn() : LoginPage.Continue(returnUrl), StatusCodes.Status200OK);
    }

    private static IResult FormPage(HttpContext http, IAntiforgery antiforgery, string? returnUrl, string? username,
        string? error, int status)
    {
        var tokens = antiforgery.GetAndStoreTokens(http);
        return Html(LoginPage.Form(tokens.FormFieldName, tokens.RequestToken!, returnUrl, username, error), status);
    }

    private static IResult Html(string html, int status) =>
        Results.Content(html, "text/html; charset=utf-8", System.Text.Encoding.UTF8, status);

    /// <summary>A path on this server (<c>/connect/authorize?…</c>), never another site: no scheme, no host, no
    /// <c>//</c> or <c>/\</c> that a browser would read as one, no control characters.</summary>
    public static string? LocalOrNull(string? url) =>
        url is { Length: > 1 and <= 4096 } && url[0] == '/' && url[1] is not ('/' or '\\') && !url.Any(char.IsControl)
            ? url : null;
}

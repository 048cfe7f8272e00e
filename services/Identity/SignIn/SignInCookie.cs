using Microsoft.AspNetCore.Authentication.Cookies;

namespace Icp.Identity.SignIn;

/// <summary>The short-lived session cookie between the sign-in page and the authorization endpoint.</summary>
public static class SignInCookie
{
    public static void Configure(CookieAuthenticationOptions options)
    {
        options.Cookie.Name = "icp.signin";
        options.Cookie.HttpOnly = true;
        options.Cookie.SameSite = SameSiteMode.Lax;
        options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        options.ExpireTimeSpan = TimeSpan.FromMinutes(30);
        options.SlidingExpiration = false;
        options.LoginPath = LoginEndpoints.Path;
        // A relative redirect: behind the gateway the service's own host and port must not leak into Location.
        options.Events.OnRedirectToLogin = context =>
        {
            context.Response.Redirect(LoginEndpoints.Path + QueryString.Create(LoginEndpoints.ReturnUrlField,
                LoginEndpoints.LocalOrNull(context.Properties.RedirectUri) ?? "/"));
            return Task.CompletedTask;
        };
        options.Events.OnRedirectToAccessDenied = context =>
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return Task.CompletedTask;
        };
    }
}

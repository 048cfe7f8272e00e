using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Icp.TestSupport;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Xunit;

namespace Icp.Identity.Tests;

/// <summary>Authorization code + PKCE through the sign-in page, every redirect followed by hand.</summary>
public sealed partial class SignInTests(IdentityHost host) : IClassFixture<IdentityHost>
{
    private const string RedirectUri = "http://127.0.0.1:9999/callback";

    private async Task<HttpClient> WebAppAsync(string clientId)
    {
        await host.Admin.PostAsJsonAsync("/api/v1/admin/clients", new
        {
            clientId, displayName = "Web application", @public = true, redirectUris = new[] { RedirectUri },
            scopes = new[] { "openid", "profile", "offline_access", "read:aggregate", "read:sensitive", "admin" },
        }).ExpectAsync(HttpStatusCode.Created);
        return host.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
    }

    private static string Challenge(string verifier) => Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));

    private static string AuthorizeUrl(string clientId, string challenge, string scope, string method = "S256") =>
        $"/connect/authorize?client_id={clientId}&response_type=code&redirect_uri={Uri.EscapeDataString(RedirectUri)}" +
        $"&scope={Uri.EscapeDataString(scope)}&state=st-42&code_challenge={challenge}&code_challenge_method={method}";

    /// <summary>GET authorize → login form → POST credentials; returns the sign-in answer.</summary>
    private static async Task<HttpResponseMessage> SignInAsync(HttpClient browser, string authorizeUrl, string username, string password)
    {
        using var authorize = await browser.GetAsync(authorizeUrl);
        Assert.Equal(HttpStatusCode.Redirect, authorize.StatusCode);
        var login = authorize.Headers.Location!.ToString();
        Assert.StartsWith("/account/login?ReturnUrl=", login);
        using var form = await browser.GetAsync(login);
        Assert.Equal(HttpStatusCode.OK, form.StatusCode);
        var html = await form.Content.ReadAsStringAsync();
        return await browser.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = Field(html, "__RequestVerificationToken"),
            ["ReturnUrl"] = Field(html, "ReturnUrl"),
            ["username"] = username,
            ["password"] = password,
        }));
    }

    /// <summary>Signs in and follows on to the client's redirect URI; returns the code.</summary>
    private static async Task<string> CodeAsync(HttpClient browser, string authorizeUrl, string username, string password)
    {
        using var signedIn = await SignInAsync(browser, authorizeUrl, username, password);
        var page = await signedIn.Content.ReadAsStringAsync();
        Assert.True(signedIn.StatusCode == HttpStatusCode.OK, page);
        var next = WebUtility.HtmlDecode(ContinueLink().Match(page).Groups[1].Value);
        Assert.StartsWith("/connect/authorize?", next);
        using var authorized = await browser.GetAsync(next);
        Assert.Equal(HttpStatusCode.Redirect, authorized.StatusCode);
        var location = authorized.Headers.Location!;
        Assert.StartsWith(RedirectUri + "?", location.ToString());
        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(location.Query);
        Assert.Equal("st-42", query["state"].ToString());
        return query["code"].ToString();
    }

    private static Task<HttpResponseMessage> ExchangeAsync(HttpClient browser, string clientId, string code, string verifier) =>
        browser.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code", ["client_id"] = clientId, ["code"] = code,
            ["redirect_uri"] = RedirectUri, ["code_verifier"] = verifier,
        }));

    [Fact]
    public async Task A_person_signs_in_and_the_code_with_its_verifier_buys_a_token_of_their_roles()
    {
        var browser = await WebAppAsync("web-happy");
        await host.CreatePersonAsync("vera.viewer", "correct horse battery", ["viewer"], ["nel", "ncl"]);
        var verifier = "verifier-" + new string('v', 50);

        var code = await CodeAsync(browser, AuthorizeUrl("web-happy", Challenge(verifier), "openid offline_access read:aggregate read:sensitive"),
            "vera.viewer", "correct horse battery");
        var answer = await ExchangeAsync(browser, "web-happy", code, verifier).ExpectAsync(HttpStatusCode.OK);

        var token = answer.GetProperty("access_token").GetString()!;
        Assert.True((await host.ValidateAsync(token)).IsValid);
        var jwt = new JsonWebToken(token);
        Assert.Equal("vera.viewer", jwt.GetClaim("name").Value);
        Assert.Equal("web-happy", jwt.GetClaim("client_id").Value);
        Assert.Equal("viewer", jwt.GetClaim("role").Value);
        Assert.Equal(["ncl", "nel"], jwt.Claims.Where(c => c.Type == "icp_systems").Select(c => c.Value).Order());
        // A viewer asked for read:sensitive too: their role grants read:aggregate only.
        Assert.Equal(["offline_access", "openid", "read:aggregate"], jwt.GetClaim("scope").Value.Split(' ').Order());
        Assert.True(answer.TryGetProperty("id_token", out _));

        var refreshed = await browser.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token", ["client_id"] = "web-happy",
            ["refresh_token"] = answer.GetProperty("refresh_token").GetString()!,
        })).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("viewer", new JsonWebToken(refreshed.GetProperty("access_token").GetString()!).GetClaim("role").Value);
    }

    [Fact]
    public async Task A_wrong_verifier_buys_nothing()
    {
        var browser = await WebAppAsync("web-verifier");
        await host.CreatePersonAsync("ann.analyst", "correct horse battery", ["analyst"], ["nel"]);
        var verifier = "verifier-" + new string('a', 50);
        var code = await CodeAsync(browser, AuthorizeUrl("web-verifier", Challenge(verifier), "openid read:aggregate"),
            "ann.analyst", "correct horse battery");

        using var response = await ExchangeAsync(browser, "web-verifier", code, "verifier-" + new string('b', 50));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_grant", await IdentityHost.OAuthErrorAsync(response));
    }

    [Fact]
    public async Task A_plain_code_challenge_is_refused()
    {
        var browser = await WebAppAsync("web-plain");

        using var response = await browser.GetAsync(AuthorizeUrl("web-plain", "verifier-" + new string('p', 50), "openid", "plain"));

        // OpenIddict refuses it on its own page rather than at the client's redirect URI: no code either way.
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
        Assert.Contains("invalid_request", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_sign_in_page_carries_its_security_headers()
    {
        using var page = await host.CreateClient().GetAsync("/account/login");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html; charset=utf-8", page.Content.Headers.ContentType!.ToString());
        var csp = page.Headers.GetValues("Content-Security-Policy").Single();
        Assert.StartsWith("default-src 'none'; style-src 'sha256-", csp);
        Assert.Contains("form-action 'self'", csp);
        Assert.Contains("frame-ancestors 'none'", csp);
        Assert.Equal("nosniff", page.Headers.GetValues("X-Content-Type-Options").Single());
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("<label for=\"username\">", html);
        Assert.Contains("name=\"__RequestVerificationToken\"", html);
    }

    [Fact]
    public async Task After_five_failures_the_right_password_does_not_sign_in_until_unlocked()
    {
        var browser = await WebAppAsync("web-lockout");
        await host.CreatePersonAsync("lock.me", "correct horse battery", ["viewer"], ["nel"]);
        var url = AuthorizeUrl("web-lockout", Challenge("verifier-" + new string('l', 50)), "openid read:aggregate");
        for (var i = 0; i < 5; i++)
        {
            using var failed = await SignInAsync(browser, url, "lock.me", "wrong password " + i);
            Assert.Equal(HttpStatusCode.BadRequest, failed.StatusCode);
        }

        using var locked = await SignInAsync(browser, url, "lock.me", "correct horse battery");
        Assert.Equal(HttpStatusCode.BadRequest, locked.StatusCode);
        Assert.DoesNotContain("id=\"continue\"", await locked.Content.ReadAsStringAsync());
        var person = await host.Admin.GetAsync("/api/v1/admin/users/lock.me").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(System.Text.Json.JsonValueKind.String, person.GetProperty("lockedOutUntil").ValueKind);

        await host.Admin.PostAsync("/api/v1/admin/users/lock.me/unlock", null).ExpectAsync(HttpStatusCode.NoContent);
        Assert.False(string.IsNullOrEmpty(await CodeAsync(browser, url, "lock.me", "correct horse battery")));
    }

    [Fact]
    public async Task An_administrators_token_opens_the_admin_endpoints_and_a_viewers_does_not()
    {
        var browser = await WebAppAsync("web-admin");
        await host.CreatePersonAsync("ada.admin", "correct horse battery", ["administrator"], ["nel"]);
        await host.CreatePersonAsync("vic.viewer", "correct horse battery", ["viewer"], ["nel"]);

        async Task<string> TokenOf(string username, HttpClient b)
        {
            var verifier = "verifier-" + new string('z', 50);
            var code = await CodeAsync(b, AuthorizeUrl("web-admin", Challenge(verifier), "openid admin read:aggregate"),
                username, "correct horse battery");
            return (await ExchangeAsync(b, "web-admin", code, verifier).ExpectAsync(HttpStatusCode.OK))
                .GetProperty("access_token").GetString()!;
        }

        var adminToken = await TokenOf("ada.admin", browser);
        var viewerToken = await TokenOf("vic.viewer",
            host.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true }));

        var api = host.CreateClient();
        api.DefaultRequestHeaders.Authorization = new("Bearer", adminToken);
        await api.GetAsync("/api/v1/admin/clients").ExpectAsync(HttpStatusCode.OK);
        api.DefaultRequestHeaders.Authorization = new("Bearer", viewerToken);
        var forbidden = await api.GetAsync("/api/v1/admin/clients").ExpectAsync(HttpStatusCode.Forbidden);
        Assert.Equal(403, forbidden.GetProperty("status").GetInt32());
    }

    private static string Field(string html, string name) =>
        WebUtility.HtmlDecode(Regex.Match(html, $"name=\"{name}\" value=\"([^\"]*)\"").Groups[1].Value);

    [GeneratedRegex("id=\"continue\" href=\"([^\"]*)\"")]
    private static partial Regex ContinueLink();
}

using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Icp.TestSupport;
using Xunit;

namespace Icp.EndToEnd.Tests;

/// <summary>
/// People end to end: a person made through the admin API signs in on the identity server's own page (authorization
/// code + PKCE, driven as a browser would, through the gateway), and their token opens what their role allows at the
/// gateway and the services, refuses the rest with 403, and shows only the units of their systems.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed partial class PersonJourneyTests(PlatformFixture platform)
{
    private const string RedirectUri = "http://127.0.0.1:9/signed-in"; // never followed: the code is read off the redirect
    private const string Password = "a long enough demo passphrase";
    private readonly string _s = Guid.NewGuid().ToString("N")[..8];

    private string SystemA => $"people-a-{_s}";
    private string SystemB => $"people-b-{_s}";
    private string UnitA => $"people-unit-a-{_s}";
    private string UnitB => $"people-unit-b-{_s}";

    /// <summary>Each role of services/Identity/Server/Roles.cs: the scopes it grants, one call it opens, one it does not.</summary>
    public static TheoryData<string, string[], string, string> Roles => new()
    {
        { "viewer", ["read:aggregate"], "GET /api/v1/units", "GET /api/v1/referrals" },
        { "analyst", ["read:aggregate", "read:sensitive"], "GET /api/v1/referrals", "PUT /api/v1/units/{unitA}" },
        { "storyteller", ["casestudies:write", "read:aggregate"], "GET /api/v1/stories", "GET /api/v1/library" },
        { "data-steward", ["consent:manage", "read:aggregate", "read:sensitive"], "GET /api/v1/library", "PUT /api/v1/units/{unitA}" },
        { "administrator", ["admin", "read:aggregate"], "GET /api/v1/admin/clients", "GET /api/v1/events" },
    };

    [Theory]
    [MemberData(nameof(Roles))]
    public async Task A_person_of_each_role_signs_in_with_pkce_and_gets_what_the_role_opens_and_no_more(
        string role, string[] grants, string opens, string refuses)
    {
        await TwoSystemsAsync();
        var clientId = await WebApplicationAsync();
        var username = $"{role}.{_s}";
        await CreatePersonAsync(username, role, [SystemA]);

        var token = await SignInAsync(clientId, username, Password);
        var claims = Payload(token);
        Assert.Equal(role, claims.GetProperty("role").GetString());
        Assert.Equal(grants, claims.GetProperty("scope").GetString()!.Split(' ').Where(s => s.Contains(':') || s == "admin").Order(StringComparer.Ordinal));

        // At the gateway and again at the service's own port (each validates the token itself).
        foreach (var direct in new[] { false, true })
        {
            using var toOpen = platform.WithToken(token, direct ? ServiceOf(opens) : null);
            using var opened = await SendAsync(toOpen, opens);
            Assert.True(opened.StatusCode == HttpStatusCode.OK, $"{role}: {opens} at {toOpen.BaseAddress} answered {(int)opened.StatusCode}: {await opened.Content.ReadAsStringAsync()}");
            using var toRefuse = platform.WithToken(token, direct ? ServiceOf(refuses) : null);
            using var refused = await SendAsync(toRefuse, refuses);
            Assert.True(refused.StatusCode == HttpStatusCode.Forbidden, $"{role}: {refuses} at {toRefuse.BaseAddress} answered {(int)refused.StatusCode}");
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        }

        // Organisation scoping applies to people as to clients: system B's unit is as absent as one that never was.
        using var gateway = platform.WithToken(token);
        await gateway.GetAsync($"/api/v1/units/{UnitA}").ExpectAsync(HttpStatusCode.OK);
        var theirs = await gateway.GetAsync($"/api/v1/units/{UnitB}").ExpectAsync(HttpStatusCode.NotFound);
        var none = await gateway.GetAsync($"/api/v1/units/none-{_s}").ExpectAsync(HttpStatusCode.NotFound);
        Assert.Equal(none.GetProperty("detail").GetString(), theirs.GetProperty("detail").GetString());
        var listed = (await gateway.GetAsync("/api/v1/units").ExpectAsync(HttpStatusCode.OK)).EnumerateArray()
            .Select(u => u.GetProperty("unitId").GetString()).ToList();
        Assert.Contains(UnitA, listed);
        Assert.DoesNotContain(UnitB, listed);
    }

    [Fact]
    public async Task A_person_of_both_systems_sees_both_and_a_locked_out_person_signs_in_no_more()
    {
        await TwoSystemsAsync();
        var clientId = await WebApplicationAsync();
        var username = $"both.{_s}";
        await CreatePersonAsync(username, "viewer", [SystemA, SystemB]);
        using (var gateway = platform.WithToken(await SignInAsync(clientId, username, Password)))
        {
            await gateway.GetAsync($"/api/v1/units/{UnitA}").ExpectAsync(HttpStatusCode.OK);
            await gateway.GetAsync($"/api/v1/units/{UnitB}").ExpectAsync(HttpStatusCode.OK);
        }

        // Five wrong passwords lock the account: the right one then buys no code (the page says the same as for a
        // wrong password, so it tells nothing).
        for (var i = 0; i < 5; i++)
            Assert.Null(await TrySignInAsync(clientId, username, $"wrong passphrase number {i}"));
        Assert.Null(await TrySignInAsync(clientId, username, Password));
        var person = await platform.Gateway.GetAsync($"/api/v1/admin/users/{username}").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(JsonValueKind.String, person.GetProperty("lockedOutUntil").ValueKind);
    }

    private async Task TwoSystemsAsync()
    {
        await platform.PutAsync($"/api/v1/units/{SystemA}", new { name = "System A", kind = "system" }).ExpectAsync(HttpStatusCode.Created);
        await platform.PutAsync($"/api/v1/units/{SystemB}", new { name = "System B", kind = "system" }).ExpectAsync(HttpStatusCode.Created);
        await platform.PutAsync($"/api/v1/units/{UnitA}", new { name = "Unit A", kind = "neighbourhood", parentId = SystemA }).ExpectAsync(HttpStatusCode.Created);
        await platform.PutAsync($"/api/v1/units/{UnitB}", new { name = "Unit B", kind = "neighbourhood", parentId = SystemB }).ExpectAsync(HttpStatusCode.Created);
    }

    private async Task<string> WebApplicationAsync()
    {
        var clientId = $"web-{_s}";
        using var existing = await platform.Gateway.GetAsync($"/api/v1/admin/clients/{clientId}");
        if (existing.StatusCode == HttpStatusCode.OK) return clientId;
        await platform.Gateway.PostAsJsonAsync("/api/v1/admin/clients", new
        {
            clientId, displayName = "Web application", @public = true, redirectUris = new[] { RedirectUri },
            scopes = new[] { "openid", "profile", "offline_access", "feeds:write", "referrals:write", "surveys:write", "casestudies:write",
                "read:aggregate", "read:sensitive", "consent:manage", "admin" },
        }).ExpectAsync(HttpStatusCode.Created);
        return clientId;
    }

    private Task CreatePersonAsync(string username, string role, string[] systems) =>
        platform.Gateway.PostAsJsonAsync("/api/v1/admin/users", new { username, displayName = username, password = Password, roles = new[] { role }, systems })
            .ExpectAsync(HttpStatusCode.Created);

    private async Task<string> SignInAsync(string clientId, string username, string password) =>
        await TrySignInAsync(clientId, username, password) ?? throw new Xunit.Sdk.XunitException($"{username} could not sign in");

    /// <summary>
    /// The browser's part: authorize with a code challenge → sign-in page → the form posted with its anti-forgery
    /// token → back to authorize → the redirect carrying the code → the code exchanged with its verifier. Null when
    /// the sign-in page refuses the password.
    /// </summary>
    private async Task<string?> TrySignInAsync(string clientId, string username, string password)
    {
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() })
        {
            BaseAddress = platform.Gateway.BaseAddress,
        };
        var verifier = Convert.ToHexString(RandomNumberGenerator.GetBytes(32)).ToLowerInvariant();
        var challenge = Convert.ToBase64String(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var state = Guid.NewGuid().ToString("N");
        var authorize = $"/connect/authorize?client_id={clientId}&response_type=code&redirect_uri={Uri.EscapeDataString(RedirectUri)}" +
                        $"&scope={Uri.EscapeDataString("openid offline_access feeds:write referrals:write surveys:write casestudies:write read:aggregate read:sensitive consent:manage admin")}" +
                        $"&state={state}&code_challenge={challenge}&code_challenge_method=S256";

        using var toLogin = await browser.GetAsync(authorize);
        Assert.Equal(HttpStatusCode.Redirect, toLogin.StatusCode);
        using var form = await browser.GetAsync(Local(toLogin.Headers.Location!));
        Assert.Equal(HttpStatusCode.OK, form.StatusCode);
        var html = await form.Content.ReadAsStringAsync();
        using var signedIn = await browser.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = Field(html, "__RequestVerificationToken"),
            ["ReturnUrl"] = Field(html, "ReturnUrl"),
            ["username"] = username,
            ["password"] = password,
        }));
        var page = await signedIn.Content.ReadAsStringAsync();
        if (signedIn.StatusCode == HttpStatusCode.BadRequest) return null;
        Assert.True(signedIn.StatusCode == HttpStatusCode.OK, page);

        using var authorized = await browser.GetAsync(WebUtility.HtmlDecode(ContinueLink().Match(page).Groups[1].Value));
        Assert.Equal(HttpStatusCode.Redirect, authorized.StatusCode);
        var redirect = authorized.Headers.Location!;
        Assert.StartsWith(RedirectUri + "?", redirect.ToString());
        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(redirect.Query);
        Assert.Equal(state, query["state"].ToString());

        var tokens = await browser.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code", ["client_id"] = clientId, ["code"] = query["code"].ToString(),
            ["redirect_uri"] = RedirectUri, ["code_verifier"] = verifier,
        })).ExpectAsync(HttpStatusCode.OK);
        return tokens.GetProperty("access_token").GetString()!;
    }

    private static string Local(Uri location) => location.IsAbsoluteUri ? location.PathAndQuery : location.ToString();

    private Uri ServiceOf(string call) => platform.ServiceUrls[call.Split(' ')[1] switch
    {
        var p when p.StartsWith("/api/v1/units") || p.StartsWith("/api/v1/indicators") => "indicators",
        var p when p.StartsWith("/api/v1/referrals") => "referrals",
        var p when p.StartsWith("/api/v1/stories") => "casestudies",
        var p when p.StartsWith("/api/v1/admin/clients") => "identity",
        _ => "projections",
    }];

    private Task<HttpResponseMessage> SendAsync(HttpClient http, string call)
    {
        var (method, path) = (call.Split(' ')[0], call.Split(' ')[1].Replace("{unitA}", UnitA));
        return method == "PUT"
            ? http.PutAsJsonAsync(path, new { name = "Renamed", kind = "neighbourhood", parentId = SystemA })
            : http.GetAsync(path);
    }

    private static JsonElement Payload(string token)
    {
        var part = token.Split('.')[1].Replace('-', '+').Replace('_', '/');
        using var json = JsonDocument.Parse(Convert.FromBase64String(part.PadRight(part.Length + (4 - part.Length % 4) % 4, '=')));
        return json.RootElement.Clone();
    }

    private static string Field(string html, string name) =>
        WebUtility.HtmlDecode(Regex.Match(html, $"name=\"{name}\" value=\"([^\"]*)\"").Groups[1].Value);

    [GeneratedRegex("id=\"continue\" href=\"([^\"]*)\"")]
    private static partial Regex ContinueLink();
}

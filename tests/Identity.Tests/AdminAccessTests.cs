using System.Net;
using System.Net.Http.Json;
using System.Text;
using Icp.TestSupport;
using Xunit;

namespace Icp.Identity.Tests;

public sealed class AdminAccessTests(IdentityHost host) : IClassFixture<IdentityHost>
{
    [Theory]
    [InlineData("GET", "/api/v1/admin/clients")]
    [InlineData("POST", "/api/v1/admin/clients")]
    [InlineData("POST", "/api/v1/admin/clients/any/secret")]
    [InlineData("DELETE", "/api/v1/admin/clients/any")]
    [InlineData("GET", "/api/v1/admin/users")]
    [InlineData("POST", "/api/v1/admin/users")]
    [InlineData("POST", "/api/v1/admin/users/any/unlock")]
    [InlineData("POST", "/api/v1/admin/identity/signing-keys/rotate")]
    public async Task Anonymous_callers_and_a_wrong_key_get_a_401_problem(string method, string path)
    {
        var anonymous = host.CreateClient();
        using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = JsonContent.Create(new { }) };
        using var response = await anonymous.SendAsync(request);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(401, (await response.JsonAsync()).GetProperty("status").GetInt32());

        using var wrong = new HttpRequestMessage(new HttpMethod(method), path) { Content = JsonContent.Create(new { }) };
        wrong.Headers.Add("X-Api-Key", IdentityHost.AdminKey + "x");
        using var refused = await anonymous.SendAsync(wrong);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    [Fact]
    public async Task A_forged_bearer_token_is_401()
    {
        var client = host.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", "eyJhbGciOiJub25lIn0.eyJzY29wZSI6ImFkbWluIn0.");
        await client.GetAsync("/api/v1/admin/clients").ExpectAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Every_bad_field_of_a_new_client_is_named()
    {
        var problem = await host.Admin.PostAsJsonAsync("/api/v1/admin/clients", new
        {
            clientId = "has space",
            displayName = new string('x', 10_000),
            source = "a/b",
            systems = Enumerable.Range(0, 51).Select(i => $"s{i}").ToArray(),
            scopes = new[] { "feeds:write", "everything" },
            redirectUris = new[] { "http://example.org/callback" },
        }).ExpectAsync(HttpStatusCode.BadRequest);

        Assert.Equal(["clientId", "displayName", "redirectUris[0]", "scopes[1]", "source", "systems"],
            problem.Errors().Select(e => e.Field).Order());
    }

    [Fact]
    public async Task Control_characters_and_unknown_fields_are_400_naming_the_field()
    {
        var control = await host.Admin.PostAsync("/api/v1/admin/clients", new StringContent(
            """{"clientId":"ok","displayName":"bad\u0001name","scopes":["feeds:write"]}""", Encoding.UTF8, "application/json"))
            .ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Contains("displayName", control.Errors().Select(e => e.Field));

        var unknown = await host.Admin.PostAsJsonAsync("/api/v1/admin/clients",
            new { clientId = "ok", displayName = "Ok", scopes = new[] { "feeds:write" }, clientSecret = "mine" })
            .ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Contains("clientSecret", unknown.Errors().Select(e => e.Field));

        var notJson = await host.Admin.PostAsync("/api/v1/admin/clients",
            new StringContent("{\"clientId\":", Encoding.UTF8, "application/json")).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.NotEmpty(notJson.Errors());

        await host.Admin.PostAsync("/api/v1/admin/clients/bad%01id/secret", null).ExpectAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Every_bad_field_of_a_new_person_is_named()
    {
        var problem = await host.Admin.PostAsJsonAsync("/api/v1/admin/users", new
        {
            username = "bad name!",
            password = "short",
            roles = new[] { "viewer", "superuser" },
            systems = Array.Empty<string>(),
        }).ExpectAsync(HttpStatusCode.BadRequest);

        Assert.Equal(["password", "roles[1]", "systems", "username"], problem.Errors().Select(e => e.Field).Order());

        var huge = await host.Admin.PostAsJsonAsync("/api/v1/admin/users", new
        {
            username = "ok.person", password = new string('p', 100_000), roles = new[] { "viewer" }, systems = new[] { "nel" },
        }).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["password"], huge.Errors().Select(e => e.Field));
    }

    [Fact]
    public async Task A_person_is_listed_without_any_password_and_their_access_can_be_changed()
    {
        await host.CreatePersonAsync("pat.person", "a long enough passphrase", ["viewer"], ["nel"]);

        var changed = await host.Admin.PutAsJsonAsync("/api/v1/admin/users/pat.person/access",
            new { roles = new[] { "analyst", "storyteller" }, systems = new[] { "nel", "ncl" } }).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(["analyst", "storyteller"], changed.GetProperty("roles").EnumerateArray().Select(r => r.GetString()).Order());

        using var list = await host.Admin.GetAsync("/api/v1/admin/users");
        var text = await list.Content.ReadAsStringAsync();
        Assert.Contains("pat.person", text);
        Assert.DoesNotContain("a long enough passphrase", text);
        Assert.DoesNotContain("password", text, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(await Databases.TablesContainingAsync(host.Database, "a long enough passphrase"));

        await host.Admin.PostAsJsonAsync("/api/v1/admin/users/pat.person/password", new { password = "another long passphrase" })
            .ExpectAsync(HttpStatusCode.NoContent);
    }
}

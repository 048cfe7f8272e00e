using System.Net;
using System.Net.Http.Json;
using Icp.TestSupport;
using Xunit;

namespace Icp.Indicators.Tests;

/// <summary>What a caller without a valid credential gets from a service called directly (not through the gateway),
/// and the headers every response carries. Tokens from the real identity server are tested end to end.</summary>
public sealed class AccessTests(IndicatorsHost host) : IClassFixture<IndicatorsHost>
{
    private HttpClient Anonymous()
    {
        var http = host.Factory.CreateClient();
        http.DefaultRequestHeaders.Remove(Operator.Header);
        return http;
    }

    [Theory]
    [InlineData("GET", "/api/v1/units")]
    [InlineData("GET", "/api/v1/feeds")]
    [InlineData("POST", "/api/v1/feeds")]
    [InlineData("PUT", "/api/v1/units/east")]
    [InlineData("GET", "/api/v1/admin/indicators/series-grants")]
    [InlineData("POST", "/api/v1/admin/indicators/replay")]
    public async Task A_caller_without_credentials_is_refused_with_a_problem_and_nothing_is_read_or_stored(string method, string path)
    {
        using var http = Anonymous();
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method != "GET") request.Content = JsonContent.Create(new { name = "East", kind = "neighbourhood" });
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(response.Headers.WwwAuthenticate, h => h.Scheme == "Bearer");
        Assert.Equal(401, (await response.JsonAsync()).GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task A_wrong_admin_key_or_a_token_that_is_not_one_is_refused()
    {
        using var http = Anonymous();
        http.DefaultRequestHeaders.Add(Operator.Header, Operator.Key + "x");
        var problem = await http.GetAsync("/api/v1/units").ExpectAsync(HttpStatusCode.Unauthorized);
        Assert.Equal("The admin key is not valid.", problem.GetProperty("detail").GetString());

        using var bearer = Anonymous();
        bearer.DefaultRequestHeaders.Authorization = new("Bearer", "not-a-token");
        await bearer.GetAsync("/api/v1/units").ExpectAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_principal_header_does_not_make_a_caller_known()
    {
        using var http = Anonymous();
        http.DefaultRequestHeaders.Add("X-Icp-Principal", "administrator");
        await http.GetAsync("/api/v1/units").ExpectAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Health_and_the_OpenAPI_document_stay_anonymous_and_the_document_names_the_gateway()
    {
        using var http = Anonymous();
        using (var live = await http.GetAsync("/health/live")) Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        var document = await http.GetAsync("/openapi/v1.json").ExpectAsync(HttpStatusCode.OK);
        var servers = document.GetProperty("servers").EnumerateArray().Select(s => s.GetProperty("url").GetString()).ToList();
        Assert.Equal(["http://127.0.0.1:8080"], servers);
        Assert.True(document.GetProperty("components").GetProperty("securitySchemes").TryGetProperty("bearer", out _));
    }

    [Fact]
    public async Task Every_response_is_hardened_and_names_no_server()
    {
        using var http = Anonymous();
        foreach (var path in new[] { "/health/live", "/api/v1/units" })
        {
            using var response = await http.GetAsync(path);
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
            Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
            Assert.Contains("frame-ancestors 'none'", response.Headers.GetValues("Content-Security-Policy").Single());
            Assert.False(response.Headers.Contains("Server"));
        }
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Icp.TestSupport;
using Xunit;

namespace Icp.EndToEnd.Tests;

[Collection(PlatformCollection.Name)]
public sealed class GatewayReadinessTests(PlatformFixture platform)
{
    [Fact]
    public async Task The_gateway_reports_a_service_it_cannot_reach_and_keeps_serving_the_others()
    {
        // A second gateway in front of the running services, except referrals, which it is sent to a closed port for.
        var environment = platform.ServiceUrls.ToDictionary(s => $"ReverseProxy__Clusters__{s.Key}__Destinations__primary__Address", s => s.Value.ToString());
        environment["ReverseProxy__Clusters__referrals__Destinations__primary__Address"] = $"http://127.0.0.1:{ServiceProcess.FreePort()}/";
        environment["ReverseProxy__Clusters__referrals__HealthCheck__Active__Interval"] = "00:00:01";
        await using var gateway = ServiceProcess.Start("gateway-2", "gateway/Gateway", "Icp.Gateway", environment);
        await gateway.WaitUntilReadyAsync("/health/live");
        using var http = new HttpClient { BaseAddress = gateway.Url };

        JsonElement health = default;
        await TestInfrastructure.EventuallyAsync(async () =>
        {
            using var response = await http.GetAsync("/health/ready");
            health = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
            return response.StatusCode == HttpStatusCode.OK && health.GetProperty("status").GetString() == "Degraded";
        }, "the second gateway's probes to find referrals down");
        Assert.Equal("Not reachable: referrals.", health.GetProperty("checks").GetProperty("services").GetProperty("description").GetString());
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/v1/units")).StatusCode);
        Assert.Equal(HttpStatusCode.BadGateway, (await http.GetAsync("/api/v1/referrals/any")).StatusCode);

        // The platform's own gateway reaches every service.
        var own = await platform.Gateway.GetFromJsonAsync<JsonElement>("/health/ready");
        Assert.Equal(("Healthy", "All 5 services reachable."),
            (own.GetProperty("status").GetString(), own.GetProperty("checks").GetProperty("services").GetProperty("description").GetString()));
    }
}

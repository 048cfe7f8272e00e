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
        using var http = Operator.Client(gateway.Url);

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
        Assert.Equal(("Healthy", "All 6 services reachable and ready."),
            (own.GetProperty("status").GetString(), own.GetProperty("checks").GetProperty("services").GetProperty("description").GetString()));
    }

    [Fact]
    public async Task The_gateway_passes_on_a_service_that_reports_itself_degraded()
    {
        // Something set aside in the projection service's quarantine (here a work item of a test's own).
        await using var projections = platform.OpenDatabase("projections");
        await using (var insert = projections.CreateCommand(
            "insert into quarantine (consumer, item_id, error) values ('e2e-check', 'item-1', 'Set aside by the test.')"))
            await insert.ExecuteNonQueryAsync();
        try
        {
            JsonElement health = default;
            await TestInfrastructure.EventuallyAsync(async () =>
            {
                health = await platform.Gateway.GetFromJsonAsync<JsonElement>("/health/ready");
                return health.GetProperty("status").GetString() == "Degraded";
            }, "the gateway to report the projection service's quarantine");
            var services = health.GetProperty("checks").GetProperty("services");
            Assert.StartsWith("Not ready: projections (Degraded: Read models: 1 quarantined", services.GetProperty("description").GetString());
            Assert.Equal("Degraded", services.GetProperty("data").GetProperty("projections").GetProperty("ready").GetString());
        }
        finally
        {
            using var retry = new HttpRequestMessage(HttpMethod.Post, "/api/v1/admin/quarantine/retry?readModel=e2e-check");
            retry.Headers.Add("X-Api-Key", Environment.GetEnvironmentVariable("ICP_ADMIN_API_KEY"));
            using var answer = await platform.Gateway.SendAsync(retry);
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        }
        await TestInfrastructure.EventuallyAsync(async () =>
            (await platform.Gateway.GetFromJsonAsync<JsonElement>("/health/ready")).GetProperty("status").GetString() == "Healthy",
            "the gateway to report every service ready again once the quarantine is empty");
    }
}

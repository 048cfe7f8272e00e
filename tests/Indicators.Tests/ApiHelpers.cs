using System.Net;
using System.Net.Http.Json;
using Xunit;

namespace Icp.Indicators.Tests;

public static class ApiHelpers
{
    public static async Task SeedAsync(HttpClient client, params string[] unitIds)
    {
        foreach (var unit in unitIds)
            await client.PutAsJsonAsync($"/api/v1/units/{unit}", new { name = unit, kind = "neighbourhood", role = "comparison" })
                .ExpectOkOrCreated();
        await client.PutAsJsonAsync("/api/v1/indicators/referrals-in", new { name = "Referrals in", domain = "System flow", measure = "count", improvement = "neutral" }).ExpectOkOrCreated();
        await client.PutAsJsonAsync("/api/v1/indicators/reablement", new { name = "Successful reablement", domain = "Efficiency", measure = "proportion", improvement = "increase", target = 0.75 }).ExpectOkOrCreated();
    }

    private static async Task ExpectOkOrCreated(this Task<HttpResponseMessage> call)
    {
        using var response = await call;
        Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
    }
}

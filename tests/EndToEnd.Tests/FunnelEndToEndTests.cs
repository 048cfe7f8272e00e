using System.Net;
using System.Text.Json;
using Icp.TestSupport;
using Xunit;

namespace Icp.EndToEnd.Tests;

[Collection(PlatformCollection.Name)]
public sealed class FunnelEndToEndTests(PlatformFixture platform)
{
    [Fact]
    public async Task A_funnel_plot_compares_every_unit_s_proportion_against_limits_adjusted_for_overdispersion()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var indicator = $"seen-{suffix}";
        Assert.True((await platform.PutAsync($"/api/v1/indicators/{indicator}",
            new { name = "Seen within 2 hours", domain = "Access", measure = "proportion", improvement = "increase" })).IsSuccessStatusCode);
        // The hand-worked case of FunnelPlotTests: denominators 100..1000, Σr = 655, Σn = 5,500, over two months.
        int[] numerators = [10, 30, 45, 40, 90, 60, 70, 120, 90, 100];
        var units = Enumerable.Range(1, 10).Select(i => $"f{i}-{suffix}").ToArray();
        foreach (var (unit, i) in units.Select((u, i) => (u, i)))
            Assert.True((await platform.PutAsync($"/api/v1/units/{unit}", new
            {
                name = $"Unit {i + 1}", kind = "neighbourhood", role = i == 4 ? "intervention" : "comparison",
                goLive = i == 4 ? "2025-01" : null,
            })).IsSuccessStatusCode);
        // Each unit's two months add up to the case's numerator and denominator.
        var rows = units.SelectMany((unit, i) => new[]
        {
            new { unitId = unit, indicatorId = indicator, period = "2025-05", numerator = numerators[i] / 2, denominator = 50 * (i + 1) },
            new { unitId = unit, indicatorId = indicator, period = "2025-06", numerator = numerators[i] - numerators[i] / 2,
                denominator = 50 * (i + 1) },
        }).ToArray();
        Assert.Equal(HttpStatusCode.Accepted,
            (await platform.PostAsync("/api/v1/feeds", new { source = "epr", submissionId = $"funnel-{suffix}", rows })).StatusCode);

        JsonElement funnel = default;
        await TestInfrastructure.EventuallyAsync(async () =>
        {
            if (await platform.TryGetJsonAsync($"/api/v1/funnel/{indicator}?from=2025-05&to=2025-06") is not { } answer) return false;
            funnel = answer;
            return answer.GetProperty("units").EnumerateArray().Sum(u => u.GetProperty("denominator").GetDouble()) == 5500;
        }, "every unit's two months");

        Assert.Equal(655.0 / 5500, funnel.GetProperty("target").GetDouble(), 9);
        Assert.Equal(("additive", true), (funnel.GetProperty("adjustment").GetString(), funnel.GetProperty("adjustmentApplied").GetBoolean()));
        Assert.Equal(0.000513623, funnel.GetProperty("tau2").GetDouble(), 8);
        // With τ² added only unit 5 (0.18) lies outside, above its 95% limit 0.1718077; unit 8 (0.15) is inside 0.1688585.
        Assert.Equal([units[4]], funnel.GetProperty("outside").EnumerateArray().Select(u => u.GetString()));
        var five = funnel.GetProperty("units").EnumerateArray().Single(u => u.GetProperty("unitId").GetString() == units[4]);
        Assert.Equal(("above95", true), (five.GetProperty("position").GetString(), five.GetProperty("highlighted").GetBoolean()));
        Assert.Equal(0.1718077, five.GetProperty("upper95").GetDouble(), 6);

        // Without the adjustment units 5 and 8 are outside (hand-worked in FunnelPlotTests).
        var plain = await platform.GetJsonAsync($"/api/v1/funnel/{indicator}?from=2025-05&to=2025-06&adjustment=none");
        Assert.Equal([units[4], units[7]], plain.GetProperty("outside").EnumerateArray().Select(u => u.GetString()));

        using var svg = await platform.Gateway.GetAsync($"/api/v1/funnel/{indicator}/funnel.svg?from=2025-05&to=2025-06");
        Assert.Equal("image/svg+xml", svg.Content.Headers.ContentType?.MediaType);
        var picture = await svg.Content.ReadAsStringAsync();
        Assert.Contains("class=\"highlight\"", picture);
        Assert.Contains("class=\"unit above95\" cx=", picture);
        Assert.Contains("fill=\"#289de0\"", picture); // above on a measure where higher is better: improvement blue

        using var bad = await platform.Gateway.GetAsync($"/api/v1/funnel/{indicator}?from=2025-13&adjustment=some");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var problem = JsonDocument.Parse(await bad.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(["adjustment", "from", "to"],
            problem.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("field").GetString()).Order());
    }
}

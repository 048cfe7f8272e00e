using System.Net;
using System.Text.Json;
using Icp.TestSupport;
using Xunit;

namespace Icp.EndToEnd.Tests;

[Collection(PlatformCollection.Name)]
public sealed class DashboardEndToEndTests(PlatformFixture platform)
{
    [Fact]
    public async Task The_overview_kept_by_the_read_model_is_the_one_charted_on_demand_filtered_by_system_and_paged()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var system = $"sys-{suffix}";
        string[] units = [$"a-{suffix}", $"b-{suffix}", $"c-{suffix}"];
        var indicator = $"visits-{suffix}";
        Assert.True((await platform.PutAsync($"/api/v1/units/{system}", new { name = "System", kind = "system" })).IsSuccessStatusCode);
        foreach (var (unit, i) in units.Select((u, i) => (u, i)))
            Assert.True((await platform.PutAsync($"/api/v1/units/{unit}", new
            {
                name = unit, kind = "neighbourhood", parentId = system, role = i == 2 ? "intervention" : "comparison",
                goLive = i == 2 ? "2025-01" : null,
            })).IsSuccessStatusCode);
        await DefineAsync(indicator, "increase");

        // 18 months alternating 8 and 16 (mean 16.89 with the two jumps, UPL 58.82, see DashboardTests): a jump to 60
        // in months 16 and 18 is two astronomical points above the upper limit.
        var rows = units.SelectMany(unit => Enumerable.Range(0, 18).Select(i => (object)new
        {
            unitId = unit, indicatorId = indicator, period = new DateOnly(2024, 1, 1).AddMonths(i).ToString("yyyy-MM"),
            value = i is 15 or 17 ? 60 : i % 2 == 0 ? 8 : 16,
        })).ToArray();
        Assert.Equal(HttpStatusCode.Accepted,
            (await platform.PostAsync("/api/v1/feeds", new { source = "epr", submissionId = $"dash-{suffix}", rows })).StatusCode);

        await WaitForIconAsync(system, indicator, "improvement_high");
        await AssertSameAsChartedAsync(system);

        // Redefining the indicator (lower is now better) recomputes every one of its cells.
        await DefineAsync(indicator, "decrease");
        await WaitForIconAsync(system, indicator, "concern_high");
        await AssertSameAsChartedAsync(system);

        // Intervention unit first, then the comparison units by id; the second page of one.
        var page = await platform.GetJsonAsync($"/api/v1/dashboard?system={system}&page=2&pageSize=1");
        Assert.Equal([units[0]], page.GetProperty("units").EnumerateArray().Select(u => u.GetProperty("unitId").GetString()));
        Assert.Equal((3, 2, 1), (page.GetProperty("totalUnits").GetInt32(), page.GetProperty("page").GetInt32(),
            page.GetProperty("pageSize").GetInt32()));
        var first = await platform.GetJsonAsync($"/api/v1/dashboard?system={system}&pageSize=1");
        Assert.Equal([units[2]], first.GetProperty("units").EnumerateArray().Select(u => u.GetProperty("unitId").GetString()));

        using var bad = await platform.Gateway.GetAsync($"/api/v1/dashboard?page=0&pageSize=501&system=a%00b");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var problem = JsonDocument.Parse(await bad.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(["page", "pageSize", "system"],
            problem.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("field").GetString()).Order());
    }

    private async Task DefineAsync(string indicator, string improvement) =>
        Assert.True((await platform.PutAsync($"/api/v1/indicators/{indicator}",
            new { name = "Visits", domain = "System flow", measure = "count", improvement })).IsSuccessStatusCode);

    private Task WaitForIconAsync(string system, string indicator, string icon) =>
        TestInfrastructure.EventuallyAsync(async () =>
        {
            if (await platform.TryGetJsonAsync($"/api/v1/dashboard?system={system}") is not { } view) return false;
            var cells = view.GetProperty("units").EnumerateArray().SelectMany(u => u.GetProperty("indicators").EnumerateArray())
                .Where(c => c.GetProperty("indicatorId").GetString() == indicator).ToList();
            return cells.Count == 3 && cells.All(c => c.GetProperty("variationIcon").GetString() == icon);
        }, $"every unit's cell to show {icon}");

    // The read model's cells against the overview charted from the values on demand (as of now).
    private async Task AssertSameAsChartedAsync(string system)
    {
        var kept = await platform.GetJsonAsync($"/api/v1/dashboard?system={system}");
        var asOf = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddSeconds(1).ToString("O"));
        var charted = await platform.GetJsonAsync($"/api/v1/dashboard?system={system}&asOf={asOf}");
        Assert.Equal(3, kept.GetProperty("units").GetArrayLength());
        Assert.Equal(charted.GetProperty("units").GetRawText(), kept.GetProperty("units").GetRawText());
        Assert.Equal(charted.GetProperty("lastFullMonth").GetString(), kept.GetProperty("lastFullMonth").GetString());
    }
}

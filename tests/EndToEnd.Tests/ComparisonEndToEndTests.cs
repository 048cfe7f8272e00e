using System.Net;
using System.Text.Json;
using Icp.TestSupport;
using Xunit;

namespace Icp.EndToEnd.Tests;

[Collection(PlatformCollection.Name)]
public sealed class ComparisonEndToEndTests(PlatformFixture platform)
{
    [Fact]
    public async Task A_special_cause_in_the_intervention_unit_is_judged_against_its_comparison_units()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var (borough, east, west, indicator) = ($"borough-{suffix}", $"east-{suffix}", $"west-{suffix}", $"contacts-{suffix}");
        Assert.True((await platform.PutAsync($"/api/v1/units/{borough}", new { name = "Borough", kind = "system" })).IsSuccessStatusCode);
        Assert.True((await platform.PutAsync($"/api/v1/units/{east}",
            new { name = "East", kind = "neighbourhood", parentId = borough, role = "intervention", goLive = "2025-01" })).IsSuccessStatusCode);
        Assert.True((await platform.PutAsync($"/api/v1/units/{west}",
            new { name = "West", kind = "neighbourhood", parentId = borough, role = "comparison" })).IsSuccessStatusCode);
        Assert.True((await platform.PutAsync($"/api/v1/indicators/{indicator}",
            new { name = "Contacts", domain = "System flow", measure = "count", improvement = "increase" })).IsSuccessStatusCode);

        // 18 months from January 2024 alternating 8 and 16; go-live January 2025 fixes the limits on the 12 months
        // before it (mean 12, limits 12 ± 2.66 x 8). East jumps to 60 in April and June 2025, West in April only.
        IEnumerable<object> Rows(string unit, params int[] highMonths) => Enumerable.Range(0, 18).Select(i => (object)new
        {
            unitId = unit, indicatorId = indicator, period = new DateOnly(2024, 1, 1).AddMonths(i).ToString("yyyy-MM"),
            value = highMonths.Contains(i) ? 60 : i % 2 == 0 ? 8 : 16,
        });
        Assert.Equal(HttpStatusCode.Accepted, (await platform.PostAsync("/api/v1/feeds",
            new { source = "epr", submissionId = $"cmp-{suffix}", rows = Rows(east, 15, 17).Concat(Rows(west, 15)).ToArray() })).StatusCode);

        JsonElement comparison = default;
        await TestInfrastructure.EventuallyAsync(async () =>
        {
            if (await platform.TryGetJsonAsync($"/api/v1/comparison/{indicator}/{east}") is not { } answer) return false;
            comparison = answer;
            // Every month of both units, not only the first and last (the feed's events may arrive in several batches).
            static bool Complete(JsonElement chart) => chart.GetProperty("points").GetArrayLength() == 18
                && chart.GetProperty("points").EnumerateArray().All(p => p.GetProperty("value").ValueKind == JsonValueKind.Number);
            return Complete(comparison.GetProperty("intervention")) && comparison.GetProperty("comparisons").GetArrayLength() == 1
                   && Complete(comparison.GetProperty("comparisons")[0]);
        }, "both units' charts");

        Assert.Equal(12, comparison.GetProperty("baselinePoints").GetInt32());
        Assert.Equal([west], comparison.GetProperty("comparisonUnitIds").EnumerateArray().Select(u => u.GetString()));
        var signals = comparison.GetProperty("signals").EnumerateArray()
            .Select(s => (s.GetProperty("period").GetString(), s.GetProperty("verdict").GetString())).ToList();
        Assert.Equal([("2025-04", "shared"), ("2025-06", "unique")], signals);
        Assert.Equal(1, comparison.GetProperty("unique").GetInt32());

        // The programme overview lists both units, the intervention unit first, and the page is served at /.
        var dashboard = await platform.GetJsonAsync("/api/v1/dashboard");
        var units = dashboard.GetProperty("units").EnumerateArray().Select(u => u.GetProperty("unitId").GetString()).ToList();
        Assert.True(units.IndexOf(east) >= 0 && units.IndexOf(east) < units.IndexOf(west));
        var eastRow = dashboard.GetProperty("units").EnumerateArray().First(u => u.GetProperty("unitId").GetString() == east);
        var cell = eastRow.GetProperty("indicators").EnumerateArray().Single(c => c.GetProperty("indicatorId").GetString() == indicator);
        Assert.Equal(60, cell.GetProperty("latestValue").GetDouble()); // June 2025, the second jump
        var page = await platform.Gateway.GetStringAsync("/");
        Assert.Contains("programme overview", page);
    }
}

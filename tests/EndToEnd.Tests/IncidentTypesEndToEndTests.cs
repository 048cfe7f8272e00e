using System.Net;
using System.Text.Json;
using Icp.TestSupport;
using Xunit;

namespace Icp.EndToEnd.Tests;

[Collection(PlatformCollection.Name)]
public sealed class IncidentTypesEndToEndTests(PlatformFixture platform)
{
    [Fact]
    public async Task Each_incident_type_is_charted_and_listed_on_the_dashboard_as_a_series_of_its_own()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var (unit, indicator) = ($"north-{suffix}", $"incidents-by-type-{suffix}");
        Assert.True((await platform.PutAsync($"/api/v1/units/{unit}", new { name = "North", kind = "neighbourhood", role = "comparison" })).IsSuccessStatusCode);
        Assert.True((await platform.PutAsync($"/api/v1/indicators/{indicator}", new
        {
            name = "Incident reports by type", domain = "System flow", measure = "count", improvement = "neutral",
            categories = new[] { "falls", "other" },
        })).IsSuccessStatusCode);

        // Falls alternate 4 and 6 for a year, then 20 in January 2025; other incidents stay at 1. Limits from that year
        // (baselinePoints=12): mean 5, mean moving range 2, upper limit 5 + 2.66 x 2 = 10.32.
        var months = Enumerable.Range(0, 13).Select(i => new DateOnly(2024, 1, 1).AddMonths(i).ToString("yyyy-MM")).ToList();
        var rows = months.Select((m, i) => (object)new { unitId = unit, indicatorId = indicator, category = "falls", period = m, value = i == 12 ? 20 : i % 2 == 0 ? 4 : 6 })
            .Concat(months.Select(m => (object)new { unitId = unit, indicatorId = indicator, category = "other", period = m, value = 1 }))
            .ToArray();
        Assert.Equal(HttpStatusCode.Accepted, (await platform.PostAsync("/api/v1/feeds", new { source = "datix", submissionId = $"types-{suffix}", rows })).StatusCode);

        var falls = $"{indicator}:falls";
        JsonElement chart = default;
        await TestInfrastructure.EventuallyAsync(async () =>
        {
            if (await platform.TryGetJsonAsync($"/api/v1/spc/{falls}/{unit}?baselinePoints=12") is not { } answer) return false;
            chart = answer;
            return chart.GetProperty("points").EnumerateArray().Count(p => p.GetProperty("value").ValueKind == JsonValueKind.Number) == 13;
        }, "the falls chart with every month");
        Assert.Equal(falls, chart.GetProperty("indicatorId").GetString());
        var points = chart.GetProperty("points").EnumerateArray().ToList();
        Assert.Equal("neutral_high", points[12].GetProperty("pointType").GetString());
        Assert.All(points.Take(12), p => Assert.Equal("common_cause", p.GetProperty("pointType").GetString()));
        Assert.Equal(10.32, points[0].GetProperty("upl").GetDouble(), 2);

        // As-of reads the stored revisions of the typed series.
        var later = await platform.GetJsonAsync($"/api/v1/spc/{falls}/{unit}?asOf={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddMinutes(1).ToString("O"))}");
        Assert.Equal(13, later.GetProperty("points").GetArrayLength());

        var dashboard = await platform.GetJsonAsync("/api/v1/dashboard");
        var listed = dashboard.GetProperty("indicators").EnumerateArray()
            .Where(i => i.GetProperty("indicatorId").GetString()!.StartsWith(indicator, StringComparison.Ordinal))
            .Select(i => (i.GetProperty("indicatorId").GetString(), i.GetProperty("name").GetString())).ToList();
        Assert.Equal([(falls, "Incident reports by type: falls"), ($"{indicator}:other", "Incident reports by type: other")], listed);
        var cells = dashboard.GetProperty("units").EnumerateArray().Single(u => u.GetProperty("unitId").GetString() == unit)
            .GetProperty("indicators").EnumerateArray().ToDictionary(c => c.GetProperty("indicatorId").GetString()!, c => c.GetProperty("latestValue").GetDouble());
        Assert.Equal(20, cells[falls]);
        Assert.Equal(1, cells[$"{indicator}:other"]);
        Assert.Equal(HttpStatusCode.NotFound, (await platform.Gateway.GetAsync($"/api/v1/spc/{indicator}:burns/{unit}")).StatusCode);
    }
}

using System.Net.Http.Json;
using System.Diagnostics;
using System.Net;
using Icp.TestSupport;
using Xunit;

namespace Icp.EndToEnd.Tests;

/// <summary>The overview page rendered by real headless Chromium (Debian's package, installed by deploy/test.sh).</summary>
[Collection(PlatformCollection.Name)]
public sealed class OverviewPageTests(PlatformFixture platform)
{
    private static async Task<string> RenderAsync(Uri page)
    {
        var profile = Directory.CreateTempSubdirectory("icp-chromium-");
        try
        {
            var start = new ProcessStartInfo("chromium") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var arg in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                         "--disable-background-networking", "--disable-component-update", "--disable-sync",
                         $"--user-data-dir={profile.FullName}", "--virtual-time-budget=10000", "--dump-dom", page.ToString() })
                start.ArgumentList.Add(arg);
            using var chromium = Process.Start(start) ?? throw new InvalidOperationException("chromium did not start");
            var dom = chromium.StandardOutput.ReadToEndAsync();
            _ = chromium.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
            await chromium.WaitForExitAsync(timeout.Token);
            return await dom;
        }
        finally
        {
            profile.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task The_overview_page_lists_the_units_and_draws_the_charts_in_a_real_browser()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var unit = $"page-{suffix}";
        var indicator = $"contacts-page-{suffix}";
        Assert.True((await platform.PutAsync($"/api/v1/units/{unit}", new { name = $"Page {suffix}", kind = "neighbourhood", role = "comparison" })).IsSuccessStatusCode);
        Assert.True((await platform.PutAsync($"/api/v1/indicators/{indicator}",
            new { name = "Contacts", domain = "System flow", measure = "count", improvement = "increase" })).IsSuccessStatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await platform.PostAsync("/api/v1/feeds", new
        {
            source = "epr", submissionId = $"page-{suffix}",
            rows = Enumerable.Range(0, 14).Select(i => new { unitId = unit, indicatorId = indicator, period = new DateOnly(2024, 1, 1).AddMonths(i).ToString("yyyy-MM"), value = 10 + i % 3 }),
        })).StatusCode);
        await TestInfrastructure.EventuallyAsync(async () =>
            (await platform.GetJsonAsync("/api/v1/dashboard")).GetProperty("units").EnumerateArray().Any(u => u.GetProperty("unitId").GetString() == unit),
            "the unit on the dashboard");

        // A viewer's token (read:aggregate) from the identity server, handed to the page in its address's fragment.
        var token = await platform.ClientTokenAsync($"page-{suffix}", ["read:aggregate"]);

        var dom = await RenderAsync(new Uri(platform.Gateway.BaseAddress!, "/#access_token=" + token));

        Assert.Contains($"data-unit=\"{unit}\"", dom);                 // a row in the units table, written by the page's script
        Assert.Contains($"Page {suffix}", dom);
        Assert.Contains("/chart.svg", dom);                             // small multiples of the selected indicator
        Assert.DoesNotContain("<span class=\"error\">", dom);                 // the page reports failed requests this way
        Assert.Matches(@"\d+ units · \d+ indicators · data to \d{4}-\d{2}", dom);
    }
}

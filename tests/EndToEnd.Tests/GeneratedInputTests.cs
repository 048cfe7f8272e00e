using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Icp.TestSupport;
using Xunit;
using Xunit.Abstractions;

namespace Icp.EndToEnd.Tests;

/// <summary>
/// Random and adversarial bodies at every intake, through the gateway, for a bounded time: no answer is a 5xx, a
/// refused request stores nothing in any service, and afterwards the read side is current with nothing quarantined.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class GeneratedInputTests(PlatformFixture platform, ITestOutputHelper output)
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(40);
    private const int MaxRequests = 2000;
    private static readonly string[] WriteServices = ["indicators", "referrals", "surveys", "casestudies"];

    [Fact]
    public async Task Generated_hostile_input_never_gets_a_5xx_nor_stores_anything_when_refused()
    {
        var suffix = Guid.NewGuid().ToString("N")[..6];
        await SeedAsync(suffix);
        var stores = WriteServices.Select(platform.OpenDatabase).ToArray();
        var seed = Environment.TickCount;
        var inputs = new HostileInputs(seed, suffix);
        var statuses = new Dictionary<int, int>();
        var clock = Stopwatch.StartNew();
        var sent = 0;
        while (clock.Elapsed < Budget && sent < MaxRequests)
        {
            var request = inputs.Next();
            var before = await EventCountsAsync(stores);
            using var message = new HttpRequestMessage(request.Method, request.Path) { Content = new ByteArrayContent(request.Body) };
            message.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(request.ContentType);
            using var response = await platform.Gateway.SendAsync(message);
            var status = (int)response.StatusCode;
            statuses[status] = statuses.GetValueOrDefault(status) + 1;
            sent++;
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(status < 500, $"seed {seed}: {request} answered {status}: {body}\n{platform.Diagnostics}");
            if (status >= 400)
            {
                Assert.Equal(before, await EventCountsAsync(stores));
                if (body.Length > 0) Assert.DoesNotContain("Icp.", body);
            }
        }
        output.WriteLine($"seed {seed}: {sent} requests in {clock.Elapsed.TotalSeconds:0} s; " +
            string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}: {s.Value}")));
        Assert.True(statuses.Keys.Any(s => s >= 400), "the generator produced no refused request");

        // The read side keeps up: everything accepted is applied, nothing quarantined.
        using var projections = Operator.Client(platform.ServiceUrls["projections"]);
        JsonElement readModels = default;
        await TestInfrastructure.EventuallyAsync(async () =>
        {
            var health = JsonDocument.Parse(await projections.GetStringAsync("/health/ready")).RootElement;
            readModels = health.GetProperty("checks").GetProperty("read-models").Clone();
            return readModels.GetProperty("data").GetProperty("eventsBehind").GetInt64() == 0;
        }, "the read models to apply every accepted request", 60);
        Assert.Equal(0, readModels.GetProperty("data").GetProperty("quarantined").GetInt64());
    }

    private async Task SeedAsync(string suffix)
    {
        async Task Ok(Task<HttpResponseMessage> call)
        {
            using var response = await call;
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        }
        await Ok(platform.PutAsync($"/api/v1/units/fz-unit-{suffix}", new { name = "Fuzz unit", kind = "neighbourhood" }));
        await Ok(platform.PutAsync($"/api/v1/indicators/fz-count-{suffix}",
            new { name = "Fuzz count", domain = "System flow", measure = "count", improvement = "neutral" }));
        await Ok(platform.PutAsync($"/api/v1/instruments/fz-inst-{suffix}", new
        {
            name = "Fuzz", scoring = "none",
            items = new object[]
            {
                new { itemId = "Q1", text = "Q", kind = "scale", scaleMin = 1, scaleMax = 5, positiveThreshold = 4 },
                new { itemId = "C1", text = "Say", kind = "freetext" },
            },
        }));
        await Ok(platform.PutAsync($"/api/v1/waves/fz-wave-{suffix}", new { instrumentId = $"fz-inst-{suffix}", month = "2025-01", invited = 5000 }));
    }

    private static async Task<long[]> EventCountsAsync(Npgsql.NpgsqlDataSource[] stores)
    {
        var counts = new long[stores.Length];
        for (var i = 0; i < stores.Length; i++)
        {
            await using var command = stores[i].CreateCommand("select count(*) from mt_events");
            counts[i] = (long)(await command.ExecuteScalarAsync())!;
        }
        return counts;
    }
}

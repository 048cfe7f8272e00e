using System.Net.Http.Json;
using System.Text.Json;
using Icp.Contracts;
using Icp.Contracts.Indicators;
using Icp.Projections;
using Icp.TestSupport;
using MassTransit;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Icp.Projections.Tests;

/// <summary>The projection service in process on the real PostgreSQL and RabbitMQ, fed messages straight onto the bus.</summary>
public sealed class DeliveryOrderTests : IAsyncLifetime
{
    private ProjectionHost _host = null!;
    private WebApplicationFactory<ProjectionRunner> _factory = null!;

    public async Task InitializeAsync()
    {
        _host = await ProjectionHost.StartAsync("proj");
        _factory = _host.Factory;
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private sealed record Message(object Body, Guid Id, string Stream, long Version);

    [Fact]
    public async Task Shuffled_and_repeated_deliveries_give_the_chart_of_the_newest_revisions()
    {
        using var client = _factory.CreateClient();
        var bus = _factory.Services.GetRequiredService<IBus>();
        await TestInfrastructure.EventuallyAsync(() => Task.FromResult(
            _factory.Services.GetRequiredService<IBusControl>().CheckHealth().Status == BusHealthStatus.Healthy), "the bus");

        static IndicatorValueRevisedV1 Value(string period, double value) => new("contacts", "east", period, value, null, null, "epr", "s");
        // Series stream versions 1-6: January, February, March, then January and February revised, then April.
        object[] series = [Value("2024-01", 10), Value("2024-02", 12), Value("2024-03", 11), Value("2024-01", 14), Value("2024-02", 9), Value("2024-04", 13)];
        var messages = new List<Message>
        {
            new(new IndicatorDefinedV1("contacts", "Contacts", "System flow", "count", "increase", null, "xmr", null, null), Guid.NewGuid(), "indicator/contacts", 1),
            new(new UnitDefinedV1("east", "East", "neighbourhood", null, "none", null), Guid.NewGuid(), "unit/east", 1),
        };
        messages.AddRange(series.Select((body, i) => new Message(body, Guid.NewGuid(), "series/contacts/east", i + 1)));

        // Every message twice (a redelivery keeps its MessageId), all in an order fixed by a seed.
        var shuffled = new Random(20250101);
        var deliveries = messages.Concat(messages).OrderBy(_ => shuffled.Next()).ToList();
        foreach (var m in deliveries)
        {
            await bus.Publish(m.Body, m.Body.GetType(), context =>
            {
                context.MessageId = m.Id;
                context.Headers.Set(IntegrationHeaders.SourceService, "indicators");
                context.Headers.Set(IntegrationHeaders.StreamId, m.Stream);
                context.Headers.Set(IntegrationHeaders.StreamVersion, m.Version);
            });
        }

        // Newest revisions: 14, 9, 11, 13; mean 47 / 4 = 11.75.
        JsonElement chart = default;
        await TestInfrastructure.EventuallyAsync(async () =>
        {
            using var response = await client.GetAsync("/api/v1/spc/contacts/east");
            if (!response.IsSuccessStatusCode) return false;
            chart = await response.Content.ReadFromJsonAsync<JsonElement>();
            var values = chart.GetProperty("points").EnumerateArray()
                .Select(p => p.GetProperty("value") is { ValueKind: JsonValueKind.Number } v ? v.GetDouble() : (double?)null).ToArray();
            return values.SequenceEqual([14.0, 9, 11, 13]); // a month not yet arrived is a gap (null)
        }, "the newest revision of each month");
        Assert.Equal(11.75, chart.GetProperty("points")[0].GetProperty("mean").GetDouble(), 12);

        await using var store = Npgsql.NpgsqlDataSource.Create(TestInfrastructure.ConnectionString(_host.Database));
        await using var count = store.CreateCommand("select count(*) from mt_events");
        Assert.Equal(8L, await count.ExecuteScalarAsync()); // each event stored once
        await using var revisions = store.CreateCommand("select count(*) from rm_value_revisions");
        Assert.Equal(6L, await revisions.ExecuteScalarAsync()); // each revision kept once for as-of charts

        var asOf = await client.GetFromJsonAsync<JsonElement>($"/api/v1/spc/contacts/east?asOf={Uri.EscapeDataString(DateTimeOffset.UtcNow.ToString("O"))}");
        Assert.Equal([14.0, 9, 11, 13], asOf.GetProperty("points").EnumerateArray().Select(p => p.GetProperty("value").GetDouble()));
    }
}

using System.Collections.Concurrent;
using System.Text.Json;
using Icp.Contracts;
using Icp.Contracts.Indicators;
using Icp.EventStore;
using Icp.Hosting;
using Icp.Hosting.Messaging;
using Icp.TestSupport;
using Marten;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using Xunit;

namespace Icp.Integration.Tests;

/// <summary>A database and a RabbitMQ virtual host of the test class's own.</summary>
public sealed class MessagingInfrastructure : IAsyncLifetime
{
    public string PublisherDatabase { get; private set; } = "";
    public string ConsumerDatabase { get; private set; } = "";
    public string VirtualHost { get; private set; } = "";

    public async Task InitializeAsync()
    {
        PublisherDatabase = await TestInfrastructure.CreateDatabaseAsync("pub");
        ConsumerDatabase = await TestInfrastructure.CreateDatabaseAsync("con");
        VirtualHost = await TestInfrastructure.CreateVirtualHostAsync("msg");
    }

    public async Task DisposeAsync()
    {
        await TestInfrastructure.DropDatabaseAsync(PublisherDatabase);
        await TestInfrastructure.DropDatabaseAsync(ConsumerDatabase);
        await TestInfrastructure.DeleteVirtualHostAsync(VirtualHost);
    }
}

/// <summary>Records what reaches a plain subscriber, as an integrator's queue would see it.</summary>
public sealed class Received
{
    public ConcurrentQueue<(Guid MessageId, string StreamId, long Version, string Period)> Messages { get; } = new();
}

public sealed class RecordingConsumer(Received received) : IConsumer<IndicatorValueRevisedV1>
{
    public Task Consume(ConsumeContext<IndicatorValueRevisedV1> context)
    {
        received.Messages.Enqueue((context.MessageId!.Value, context.Headers.Get<string>(IntegrationHeaders.StreamId)!,
            context.Headers.Get<long>(IntegrationHeaders.StreamVersion)!.Value, context.Message.Period));
        return Task.CompletedTask;
    }
}

public sealed class MessagingTests(MessagingInfrastructure infra) : IClassFixture<MessagingInfrastructure>
{
    private WebApplication BuildHost(string serviceName, string database, Action<WebApplicationBuilder> configure)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Postgres:Database"] = database,
            ["Postgres:Password"] = TestInfrastructure.PostgresPassword,
            ["RabbitMq:VirtualHost"] = infra.VirtualHost,
            ["RabbitMq:Username"] = TestInfrastructure.Username,
            ["RabbitMq:Password"] = TestInfrastructure.RabbitPassword,
        });
        // Publishers are write services (Marten); subscribers and the inbox keep the projection service's store.
        if (serviceName.StartsWith("publisher", StringComparison.Ordinal))
            builder.AddIcpServiceDefaults(new ServiceInfo(serviceName)).AddIcpEventStore();
        else
            builder.AddIcpServiceDefaults(new ServiceInfo(serviceName)).AddIcpProjectionStore();
        configure(builder);
        return builder.Build();
    }

    private static IndicatorValueRevisedV1 Revision(string unit, int month) =>
        new("ind", unit, $"2024-{month:00}", month, null, null, "test", "sub");

    private static readonly EventMetadata Metadata = new() { CorrelationId = Guid.NewGuid().ToString() };

    /// <summary>A write service's Marten event log on <paramref name="database"/>, as the services configure it.</summary>
    private static (DocumentStore Store, EventLog Log) OpenLog(string database)
    {
        var dataSource = NpgsqlDataSource.Create(TestInfrastructure.ConnectionString(database));
        var options = MartenSetup.StoreOptions();
        options.Connection(dataSource);
        var store = new DocumentStore(options);
        return (store, new EventLog(store, dataSource));
    }

    private static async Task<long> ScalarAsync(EventLog log, string sql)
    {
        await using var command = log.DataSource.CreateCommand(sql);
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task The_relay_publishes_every_event_with_its_id_in_stream_order_and_resumes_after_a_restart()
    {
        var received = new Received();
        await using var subscriber = BuildHost("subscriber", infra.ConsumerDatabase, b =>
        {
            b.Services.AddSingleton(received);
            b.AddIcpMessaging(relayOutbox: false, x => x.AddConsumer<RecordingConsumer>().Endpoint(e =>
            {
                e.Name = "subscriber-recording";
                e.ConcurrentMessageLimit = 1;
                e.PrefetchCount = 1;
            }));
        });
        await subscriber.StartAsync();
        await WaitForBusAsync(subscriber);

        var (store, log) = OpenLog(infra.PublisherDatabase);
        using var _ = store;
        var units = Enumerable.Range(0, 4).Select(u => $"u{u}").ToArray();
        async Task AppendMonthsAsync(int from, int to)
        {
            foreach (var unit in units)
                await log.AppendAsync(new StreamAppend($"series/ind/{unit}", ExpectedVersion.Any,
                    Enumerable.Range(from, to - from + 1).Select(m => (object)Revision(unit, m)).ToList()), Metadata);
        }

        await AppendMonthsAsync(1, 6);
        var relay = BuildHost("publisher", infra.PublisherDatabase, b => b.AddIcpMessaging(relayOutbox: true));
        await relay.StartAsync();
        await TestInfrastructure.EventuallyAsync(() => Task.FromResult(received.Messages.Count >= 24), "the first 24 events");
        await relay.StopAsync();
        await relay.DisposeAsync();

        await AppendMonthsAsync(7, 12); // appended while the relay is down
        await using var restarted = BuildHost("publisher", infra.PublisherDatabase, b => b.AddIcpMessaging(relayOutbox: true));
        await restarted.StartAsync();
        var appended = new List<Guid>();
        foreach (var unit in units) appended.AddRange((await log.ReadStreamAsync($"series/ind/{unit}")).Select(e => e.Id));
        Assert.Equal(48, appended.Count);
        await TestInfrastructure.EventuallyAsync(
            () => Task.FromResult(received.Messages.Select(m => m.MessageId).Distinct().Count() >= appended.Count), "every event");

        var messages = received.Messages.ToList();
        Assert.Equal(appended.Order(), messages.Select(m => m.MessageId).Distinct().Order());
        foreach (var unit in units)
        {
            var firstArrivals = messages.Where(m => m.StreamId == $"series/ind/{unit}").DistinctBy(m => m.MessageId)
                .Select(m => m.Version).ToList();
            Assert.Equal(Enumerable.Range(1, 12).Select(v => (long)v), firstArrivals);
        }
        // Marten keeps the relay's progress, and records it only after the broker confirmed the page.
        await TestInfrastructure.EventuallyAsync(async () =>
                await ScalarAsync(log, "select max(seq_id) from mt_events") ==
                await ScalarAsync(log, $"select last_seq_id from mt_event_progression where name like '{OutboxRelay.SubscriptionName}:%'"),
            "the relay's progress to reach the last event");
    }

    [Fact]
    public async Task An_event_committed_late_behind_a_later_one_is_still_published_exactly_once()
    {
        var received = new Received();
        await using var subscriber = await StartSubscriberAsync("subscriber3", received);

        var database = await TestInfrastructure.CreateDatabaseAsync("publate");
        try
        {
            var (store, log) = OpenLog(database);
            using var _ = store;
            await log.AppendAsync(new StreamAppend("series/ind/first", ExpectedVersion.Any, [Revision("first", 1)]), Metadata);
            await using var relay = BuildHost("publisher3", database, b => b.AddIcpMessaging(relayOutbox: true));
            await relay.StartAsync();
            await TestInfrastructure.EventuallyAsync(() => Task.FromResult(received.Messages.Any(m => m.StreamId == "series/ind/first")),
                "the relay to run");

            // Writer A takes its sequence number first and holds its transaction open past Marten's stale-gap threshold
            // (3 s) while writer B commits after it; then A commits.
            var aInserted = new TaskCompletionSource();
            var releaseA = new TaskCompletionSource();
            var writerA = log.AppendAsync(new StreamAppend("series/ind/late", ExpectedVersion.Any, [Revision("late", 1)]), Metadata,
                async (_, _, _) =>
                {
                    aInserted.TrySetResult();
                    await releaseA.Task;
                });
            await aInserted.Task.WaitAsync(TimeSpan.FromSeconds(30));
            await log.AppendAsync(new StreamAppend("series/ind/early", ExpectedVersion.Any, [Revision("early", 1)]), Metadata);
            await Task.Delay(TimeSpan.FromSeconds(6));
            releaseA.SetResult();
            await writerA;

            await TestInfrastructure.EventuallyAsync(() => Task.FromResult(
                received.Messages.Any(m => m.StreamId == "series/ind/late") && received.Messages.Any(m => m.StreamId == "series/ind/early")),
                "both events");
            await Task.Delay(1000); // anything published twice would arrive by now
            Assert.Single(received.Messages.Where(m => m.StreamId == "series/ind/late").DistinctBy(m => m.MessageId));
            var late = (await log.ReadStreamAsync("series/ind/late"))[0];
            var early = (await log.ReadStreamAsync("series/ind/early"))[0];
            Assert.True(late.Sequence < early.Sequence, "the late writer took the lower sequence number");
            await relay.StopAsync();
        }
        finally
        {
            await TestInfrastructure.DropDatabaseAsync(database);
        }
    }

    /// <summary>An event that is no integration contract, as a bug could write one.</summary>
    public sealed record NotAContract(string What);

    [Fact]
    public async Task The_relay_sets_aside_an_event_that_is_not_a_contract_and_publishes_the_rest()
    {
        var received = new Received();
        await using var subscriber = await StartSubscriberAsync("subscriber2", received);

        var database = await TestInfrastructure.CreateDatabaseAsync("pubq");
        try
        {
            var (store, log) = OpenLog(database);
            using var _ = store;
            await log.AppendAsync(new StreamAppend("series/ind/q", ExpectedVersion.NoStream,
                [Revision("q", 1), new NotAContract("stray"), Revision("q", 3)]), Metadata);

            await using var relay = BuildHost("publisher2", database, b => b.AddIcpMessaging(relayOutbox: true));
            await relay.StartAsync();
            await TestInfrastructure.EventuallyAsync(
                () => Task.FromResult(received.Messages.Count(m => m.StreamId == "series/ind/q") >= 2), "the two good events");
            // The recording consumer handles messages concurrently, so they are compared as a set here.
            Assert.Equal(["2024-01", "2024-03"],
                received.Messages.Where(m => m.StreamId == "series/ind/q").Select(m => m.Period).Distinct().Order());

            var stray = (await log.ReadStreamAsync("series/ind/q"))[1];
            await using (var session = store.QuerySession())
            {
                var entry = Assert.Single(await RelayDeadLetters.ListAsync(session, CancellationToken.None));
                Assert.Equal((OutboxRelay.SubscriptionName, stray.Sequence), (entry.ProjectionName, entry.EventSequence));
            }
            var health = await relay.Services.GetRequiredService<Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckService>()
                .CheckHealthAsync(c => c.Name == "outbox");
            Assert.Equal(Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Degraded, health.Entries["outbox"].Status);

            // Retried with nothing fixed: it stays set aside.
            Assert.Equal((1, 0), await relay.Services.GetRequiredService<OutboxRelay>()
                .RetryQuarantinedAsync(relay.Services.GetRequiredService<IDocumentStore>(), CancellationToken.None));
            await using (var session = store.QuerySession())
                Assert.Single(await RelayDeadLetters.ListAsync(session, CancellationToken.None));
            await relay.StopAsync();
        }
        finally
        {
            await TestInfrastructure.DropDatabaseAsync(database);
        }
    }

    [Fact]
    public async Task The_inbox_applies_an_event_once_however_often_it_is_delivered()
    {
        await using var consumer = BuildHost("inboxtest", infra.ConsumerDatabase, b =>
            b.AddIcpMessaging(relayOutbox: false, x => x.AddInboxConsumers()));
        await consumer.StartAsync();
        await WaitForBusAsync(consumer);

        var bus = consumer.Services.GetRequiredService<IBus>();
        var eventId = Guid.NewGuid();
        var stream = $"series/ind/{Guid.NewGuid():N}";
        var message = new IndicatorValueRevisedV1("ind", "east", "2024-01", 5, null, null, "test", "sub");
        for (var i = 0; i < 5; i++)
        {
            await bus.Publish(message, context =>
            {
                context.MessageId = eventId;
                context.Headers.Set(IntegrationHeaders.SourceService, "indicators");
                context.Headers.Set(IntegrationHeaders.StreamId, stream);
                context.Headers.Set(IntegrationHeaders.StreamVersion, 1L);
            });
        }

        var dataSource = consumer.Services.GetRequiredService<NpgsqlDataSource>();
        async Task<IReadOnlyList<RecordedEvent>> StoredAsync()
        {
            await using var connection = await dataSource.OpenConnectionAsync();
            return await StoredEvents.ReadByIdsAsync(connection, null, [eventId], CancellationToken.None);
        }
        await TestInfrastructure.EventuallyAsync(async () => (await StoredAsync()).Count > 0, "the inbox to store the event");
        await Task.Delay(500); // let the other deliveries arrive: they must not add anything
        var single = Assert.Single(await StoredAsync());
        Assert.Equal($"indicators/{stream}", single.StreamId);
        Assert.Equal(message, JsonSerializer.Deserialize<IndicatorValueRevisedV1>(single.Data, ServiceDefaults.Json));
        Assert.Equal(1, single.Metadata.SourceStreamVersion);
        await using var count = dataSource.CreateCommand("select count(*) from mt_events where stream_id = $1");
        count.Parameters.Add(new() { Value = $"indicators/{stream}" });
        Assert.Equal(1L, await count.ExecuteScalarAsync());
    }

    /// <summary>A plain subscriber recording what reaches it, as an integrator's queue would.</summary>
    private async Task<WebApplication> StartSubscriberAsync(string name, Received received)
    {
        var subscriber = BuildHost(name, infra.ConsumerDatabase, b =>
        {
            b.Services.AddSingleton(received);
            b.AddIcpMessaging(relayOutbox: false, x => x.AddConsumer<RecordingConsumer>().Endpoint(e => e.Name = $"{name}-recording"));
        });
        await subscriber.StartAsync();
        await WaitForBusAsync(subscriber);
        return subscriber;
    }

    private static Task WaitForBusAsync(WebApplication app)
    {
        var bus = app.Services.GetRequiredService<IBusControl>();
        return TestInfrastructure.EventuallyAsync(() => Task.FromResult(bus.CheckHealth().Status == BusHealthStatus.Healthy), "the bus to connect");
    }
}

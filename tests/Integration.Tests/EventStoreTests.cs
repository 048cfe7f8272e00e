using System.Collections.Concurrent;
using System.Text.Json;
using Icp.EventStore;
using Icp.TestSupport;
using Npgsql;
using Xunit;

namespace Icp.Integration.Tests;

public sealed class EventStoreDatabase : IAsyncLifetime
{
    public string Name { get; private set; } = "";
    public NpgsqlDataSource DataSource { get; private set; } = null!;
    public PostgresEventStore Store { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Name = await TestInfrastructure.CreateDatabaseAsync("es");
        DataSource = NpgsqlDataSource.Create(TestInfrastructure.ConnectionString(Name));
        Store = new PostgresEventStore(DataSource);
        await Store.EnsureSchemaAsync();
    }

    public async Task DisposeAsync()
    {
        await DataSource.DisposeAsync();
        await TestInfrastructure.DropDatabaseAsync(Name);
    }
}

public sealed class EventStoreTests(EventStoreDatabase db) : IClassFixture<EventStoreDatabase>
{
    private PostgresEventStore Store => db.Store;

    private static NewEvent Event(int n, string type = "Something") =>
        new(Guid.NewGuid(), type, JsonSerializer.Serialize(new { n, text = $"event {n}", nested = new { ok = true } }),
            new EventMetadata { CorrelationId = $"c{n}", Principal = "tester", SourceSystem = "tests" });

    private static string NewStream() => $"s-{Guid.NewGuid():N}";

    [Fact]
    public async Task Appending_at_the_wrong_expected_version_raises_a_concurrency_error_and_stores_nothing()
    {
        var stream = NewStream();
        Assert.Equal(2, await Store.AppendAsync(stream, "t", ExpectedVersion.NoStream, [Event(1), Event(2)]));
        await Assert.ThrowsAsync<ConcurrencyException>(() => Store.AppendAsync(stream, "t", ExpectedVersion.NoStream, [Event(3)]));
        await Assert.ThrowsAsync<ConcurrencyException>(() => Store.AppendAsync(stream, "t", ExpectedVersion.Exactly(1), [Event(3)]));
        await Assert.ThrowsAsync<ConcurrencyException>(() => Store.AppendAsync(NewStream(), "t", ExpectedVersion.Exactly(4), [Event(3)]));
        Assert.Equal(3, await Store.AppendAsync(stream, "t", ExpectedVersion.Exactly(2), [Event(3)]));
        Assert.Equal(4, await Store.AppendAsync(stream, "t", ExpectedVersion.Any, [Event(4)]));
        var read = await Store.ReadStreamAsync(stream);
        Assert.Equal([1L, 2, 3, 4], read.Select(e => e.StreamVersion));
    }

    [Fact]
    public async Task Two_writers_racing_on_one_stream_exactly_one_wins()
    {
        for (var round = 0; round < 5; round++)
        {
            var stream = NewStream();
            await Store.AppendAsync(stream, "t", ExpectedVersion.NoStream, [Event(0)]);
            using var start = new ManualResetEventSlim();
            var writers = Enumerable.Range(1, 8).Select(i => Task.Run(async () =>
            {
                start.Wait();
                try
                {
                    await Store.AppendAsync(stream, "t", ExpectedVersion.Exactly(1), [Event(i)]);
                    return true;
                }
                catch (ConcurrencyException)
                {
                    return false;
                }
            })).ToArray();
            start.Set();
            var outcomes = await Task.WhenAll(writers);
            Assert.Single(outcomes, won => won);
            Assert.Equal(2, (await Store.ReadStreamAsync(stream)).Count);
        }
    }

    [Fact]
    public async Task An_append_to_several_streams_is_one_transaction()
    {
        var fresh = NewStream();
        var existing = NewStream();
        await Store.AppendAsync(existing, "t", ExpectedVersion.NoStream, [Event(1)]);
        await Assert.ThrowsAsync<ConcurrencyException>(() => Store.AppendAsync(
        [
            new RawStreamAppend(fresh, "t", ExpectedVersion.NoStream, [Event(2), Event(3)]),
            new RawStreamAppend(existing, "t", ExpectedVersion.Exactly(7), [Event(4)]),
        ]));
        Assert.Empty(await Store.ReadStreamAsync(fresh));
        Assert.Equal(0, await Store.GetStreamVersionAsync(fresh));
        Assert.Single(await Store.ReadStreamAsync(existing));
    }

    [Fact]
    public async Task A_replayed_event_id_is_rejected_and_nothing_of_that_append_is_stored()
    {
        var stream = NewStream();
        var first = Event(1);
        await Store.AppendAsync(stream, "t", ExpectedVersion.NoStream, [first]);
        await Assert.ThrowsAsync<DuplicateEventException>(() => Store.AppendAsync(stream, "t", ExpectedVersion.Exactly(1), [Event(2), first]));
        Assert.Single(await Store.ReadStreamAsync(stream));
        Assert.Equal(1, await Store.GetStreamVersionAsync(stream));
    }

    [Fact]
    public async Task A_transaction_committing_late_with_a_lower_position_is_still_delivered_exactly_once()
    {
        var start = await LastPositionAsync();
        var streamA = NewStream();
        var streamB = NewStream();

        // A takes the lower global position but commits last.
        await using var connectionA = await db.DataSource.OpenConnectionAsync();
        await using var txA = await connectionA.BeginTransactionAsync();
        await PostgresEventStore.AppendAsync(connectionA, txA, [new RawStreamAppend(streamA, "t", ExpectedVersion.NoStream, [Event(1)])]);
        var positionA = await GlobalPositionAsync(connectionA, txA, streamA);

        await Store.AppendAsync(streamB, "t", ExpectedVersion.NoStream, [Event(2)]);
        var delivered = new List<RecordedEvent>();
        var cursor = start;
        async Task PollAsync()
        {
            var batch = await Store.ReadAllAsync(cursor, 100);
            delivered.AddRange(batch.Where(e => e.StreamId == streamA || e.StreamId == streamB));
            if (batch.Count > 0) cursor = batch[^1].Position;
        }

        await PollAsync(); // B is committed, but A is still open: B must wait behind it.
        Assert.Empty(delivered);

        await txA.CommitAsync();
        // Transactions of other tests may hold the horizon back for a moment: poll until both arrive (or time out).
        await TestInfrastructure.EventuallyAsync(async () =>
        {
            await PollAsync();
            return delivered.Count >= 2;
        }, "both events after A commits");
        await PollAsync();
        Assert.Equal([streamA, streamB], delivered.Select(e => e.StreamId));
        Assert.True(delivered[0].Position.GlobalPosition == positionA);
        Assert.True(delivered[0].Position.GlobalPosition < delivered[1].Position.GlobalPosition);
    }

    [Fact]
    public async Task Concurrent_writers_with_interleaved_commits_are_read_completely_and_exactly_once()
    {
        var start = await LastPositionAsync();
        var marker = Guid.NewGuid().ToString("N");
        const int writers = 6, appendsPerWriter = 40;
        var written = new ConcurrentBag<Guid>();
        var writing = Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            var random = new Random(w);
            for (var i = 0; i < appendsPerWriter; i++)
            {
                var e = Event(i, marker);
                // Hold some transactions open for a while after taking their position, so commits cross.
                var pause = random.Next(0, 4) == 0 ? random.Next(1, 15) : 0;
                await Store.AppendAsync([new RawStreamAppend($"w{w}-{marker}", "t", ExpectedVersion.Any, [e])],
                    async (connection, tx, ct) =>
                    {
                        if (pause == 0) return;
                        await using var sleep = new NpgsqlCommand($"select pg_sleep({pause / 1000.0})", connection, tx);
                        await sleep.ExecuteNonQueryAsync(ct);
                    });
                written.Add(e.EventId);
            }
        })).ToArray();

        // Read in small pages while the writers run, until every event has arrived. An empty page does not mean the
        // end: a transaction still open anywhere in the cluster holds later commits back until it finishes.
        var seen = new List<Guid>();
        var cursor = start;
        var allWritten = Task.WhenAll(writing);
        await TestInfrastructure.EventuallyAsync(async () =>
        {
            var batch = await Store.ReadAllAsync(cursor, 17);
            seen.AddRange(batch.Where(e => e.EventType == marker).Select(e => e.EventId));
            if (batch.Count > 0) cursor = batch[^1].Position;
            return allWritten.IsCompleted && seen.Count >= writers * appendsPerWriter;
        }, "every concurrently written event", timeoutSeconds: 60);
        await allWritten;
        seen.AddRange((await Store.ReadAllAsync(cursor, 1000)).Where(e => e.EventType == marker).Select(e => e.EventId));
        Assert.Equal(writers * appendsPerWriter, seen.Count);
        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.Equal(written.OrderBy(x => x), seen.OrderBy(x => x));
    }

    [Fact]
    public async Task Ten_thousand_events_are_read_back_identical()
    {
        var start = await LastPositionAsync();
        var streams = Enumerable.Range(0, 10).Select(_ => NewStream()).ToArray();
        var appended = new List<(string Stream, NewEvent Event)>();
        for (var chunk = 0; chunk < 10; chunk++)
        {
            var appends = streams.Select(s => new RawStreamAppend(s, "bulk", ExpectedVersion.Any,
                Enumerable.Range(0, 100).Select(i => Event(chunk * 1000 + i)).ToList())).ToList();
            await Store.AppendAsync(appends);
            appended.AddRange(appends.SelectMany(a => a.Events.Select(e => (a.StreamId, e))));
        }
        Assert.Equal(10_000, appended.Count);

        var read = new List<RecordedEvent>();
        var cursor = start;
        await TestInfrastructure.EventuallyAsync(async () =>
        {
            var batch = await Store.ReadAllAsync(cursor, 1000);
            read.AddRange(batch.Where(e => streams.Contains(e.StreamId)));
            if (batch.Count > 0) cursor = batch[^1].Position;
            return read.Count >= 10_000;
        }, "all 10,000 events", timeoutSeconds: 60);
        read.AddRange((await Store.ReadAllAsync(cursor, 1000)).Where(e => streams.Contains(e.StreamId)));
        Assert.Equal(10_000, read.Count);
        var byId = read.ToDictionary(e => e.EventId);
        foreach (var (stream, e) in appended)
        {
            var r = byId[e.EventId];
            Assert.Equal(stream, r.StreamId);
            Assert.Equal(e.EventType, r.EventType);
            Assert.True(JsonElement.DeepEquals(JsonDocument.Parse(e.Data).RootElement, JsonDocument.Parse(r.Data).RootElement));
            Assert.Equal(e.Metadata, r.Metadata);
        }
        foreach (var stream in streams)
        {
            var versions = (await Store.ReadStreamAsync(stream)).Select(e => e.StreamVersion).ToList();
            Assert.Equal(Enumerable.Range(1, 1000).Select(v => (long)v), versions);
            Assert.Equal(versions, read.Where(e => e.StreamId == stream).Select(e => e.StreamVersion));
        }
    }

    [Fact]
    public async Task A_checkpoint_advances_only_with_the_transaction_that_records_the_work()
    {
        var name = $"cp-{Guid.NewGuid():N}";
        await Checkpoints.SaveAsync(db.DataSource, name, new LogPosition(5, 10));
        await using (var connection = await db.DataSource.OpenConnectionAsync())
        await using (var tx = await connection.BeginTransactionAsync())
        {
            await Checkpoints.SaveAsync(connection, tx, name, new LogPosition(6, 20));
            await tx.RollbackAsync();
        }
        Assert.Equal(new LogPosition(5, 10), await Checkpoints.LoadAsync(db.DataSource, name));
        Assert.Equal(LogPosition.Start, await Checkpoints.LoadAsync(db.DataSource, "never-saved"));
    }

    [Fact]
    public async Task A_store_made_with_jsonb_columns_is_moved_to_json_with_every_event_intact()
    {
        var name = await TestInfrastructure.CreateDatabaseAsync("es-old");
        try
        {
            await using var dataSource = NpgsqlDataSource.Create(TestInfrastructure.ConnectionString(name));
            var store = new PostgresEventStore(dataSource);
            await store.EnsureSchemaAsync();
            // As the older version left it: jsonb columns, holding two events.
            await using (var command = dataSource.CreateCommand("""
                alter table events alter column data type jsonb using data::jsonb, alter column metadata type jsonb using metadata::jsonb;
                insert into streams (stream_id, stream_type, version) values ('old', 't', 2);
                insert into events (event_id, stream_id, stream_version, event_type, data, metadata)
                select gen_random_uuid(), 'old', n, 'Something', jsonb_build_object('n', n), jsonb_build_object('correlationId', 'c' || n)
                from generate_series(1, 2) as n;
                """))
                await command.ExecuteNonQueryAsync();

            await store.EnsureSchemaAsync();

            await using (var command = dataSource.CreateCommand(
                "select string_agg(data_type, ',' order by column_name) from information_schema.columns where table_name = 'events' and column_name in ('data', 'metadata')"))
                Assert.Equal("json,json", await command.ExecuteScalarAsync());
            var read = await store.ReadStreamAsync("old");
            Assert.Equal([1, 2], read.Select(e => JsonDocument.Parse(e.Data).RootElement.GetProperty("n").GetInt32()));
            Assert.Equal(["c1", "c2"], read.Select(e => e.Metadata.CorrelationId));
            await store.AppendAsync("old", "t", ExpectedVersion.Exactly(2), [Event(3)]);
            Assert.Equal(3, (await store.ReadStreamAsync("old")).Count);
        }
        finally
        {
            await TestInfrastructure.DropDatabaseAsync(name);
        }
    }

    [Fact]
    public async Task Creating_the_schema_again_and_from_several_processes_at_once_is_harmless()
    {
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Store.EnsureSchemaAsync()));
        var stream = NewStream();
        await Store.AppendAsync(stream, "t", ExpectedVersion.NoStream, [Event(1)]);
        await Store.EnsureSchemaAsync();
        Assert.Single(await Store.ReadStreamAsync(stream));
    }

    [Fact]
    public async Task The_inbox_stores_each_received_event_once_whatever_the_order_and_repetition()
    {
        var stream = $"origin/{Guid.NewGuid():N}";
        var received = Enumerable.Range(1, 5).Select(v => new ReceivedEvent(Guid.NewGuid(), stream, v, "Something",
            JsonSerializer.Serialize(new { v }), new EventMetadata { SourceStreamVersion = v })).ToList();
        Assert.Equal(2, await Inbox.StoreAsync(db.DataSource, "inbox", [received[4], received[1]]));
        Assert.Equal(3, await Inbox.StoreAsync(db.DataSource, "inbox", [received[0], received[1], received[2], received[3], received[4]]));
        Assert.Equal(0, await Inbox.StoreAsync(db.DataSource, "inbox", [received[3], received[3]]));
        var stored = await Store.ReadStreamAsync(stream);
        Assert.Equal(received.Select(r => r.EventId), stored.Select(e => e.EventId));
        Assert.Equal(5, await Store.GetStreamVersionAsync(stream));
    }

    private async Task<LogPosition> LastPositionAsync()
    {
        await using var command = db.DataSource.CreateCommand(
            "select tx_id, global_position from events order by tx_id desc, global_position desc limit 1");
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync() ? new LogPosition(reader.GetFieldValue<ulong>(0), reader.GetInt64(1)) : LogPosition.Start;
    }

    private static async Task<long> GlobalPositionAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string stream)
    {
        await using var command = new NpgsqlCommand("select global_position from events where stream_id = $1", connection, tx)
        {
            Parameters = { new() { Value = stream } }
        };
        return (long)(await command.ExecuteScalarAsync())!;
    }
}

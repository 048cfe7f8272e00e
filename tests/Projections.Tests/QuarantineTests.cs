using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Icp.Contracts;
using Icp.Contracts.Indicators;
using Icp.Contracts.Surveys;
using Icp.EventStore;
using Icp.Hosting.Messaging;
using Icp.TestSupport;
using MassTransit;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using Xunit;

namespace Icp.Projections.Tests;

/// <summary>
/// A read model that fails on the events it is told to, as a projection with a bug would, until it is "fixed"; and
/// once, for a transient reason, when asked to. Its own table shows what it applied.
/// </summary>
public sealed class FlakyReadModel : IReadModelProjection
{
    public string Name => "flaky";
    public IReadOnlyList<string> Tables { get; } = ["rm_flaky"];
    public HashSet<string> FailingUnits { get; } = [];
    public bool FailOnceTransiently { get; set; }

    public async Task ApplyAsync(NpgsqlConnection connection, NpgsqlTransaction tx, IReadOnlyList<RecordedEvent> events, CancellationToken ct)
    {
        await using (var create = new NpgsqlCommand("create table if not exists rm_flaky (unit_id text primary key)", connection, tx))
            await create.ExecuteNonQueryAsync(ct);
        foreach (var e in events.Where(e => e.EventType == nameof(UnitDefinedV1)))
        {
            var unit = JsonSerializer.Deserialize<UnitDefinedV1>(e.Data, Hosting.ServiceDefaults.Json)!;
            if (FailOnceTransiently)
            {
                FailOnceTransiently = false;
                throw new TimeoutException("The database took too long (a transient failure).");
            }
            if (FailingUnits.Contains(unit.UnitId)) throw new InvalidOperationException($"A bug in the flaky read model ({unit.UnitId}).");
            await using var insert = new NpgsqlCommand("insert into rm_flaky values ($1) on conflict do nothing", connection, tx)
            {
                Parameters = { new() { Value = unit.UnitId } },
            };
            await insert.ExecuteNonQueryAsync(ct);
        }
    }
}

/// <summary>
/// The projection service in process on the real PostgreSQL and RabbitMQ, with the flaky read model beside the real
/// ones. Events arrive as they do in production: published on the bus, stored by the inbox, applied by the runner.
/// </summary>
public sealed class QuarantineTests : IAsyncLifetime
{
    private ProjectionHost _host = null!;
    private WebApplicationFactory<ProjectionRunner> _factory = null!;
    private HttpClient _client = null!;
    private readonly FlakyReadModel _flaky = new();

    public async Task InitializeAsync()
    {
        _host = await ProjectionHost.StartAsync("quar", services => services.AddSingleton<IReadModelProjection>(_flaky));
        _factory = _host.Factory;
        _client = _factory.CreateClient();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _host.DisposeAsync();
    }

    private async Task PublishAsync(object body, string stream, long version, Guid? id = null)
    {
        var bus = _factory.Services.GetRequiredService<IBus>();
        await bus.Publish(body, body.GetType(), context =>
        {
            context.MessageId = id ?? Guid.NewGuid();
            context.Headers.Set(IntegrationHeaders.SourceService, "test");
            context.Headers.Set(IntegrationHeaders.StreamId, stream);
            context.Headers.Set(IntegrationHeaders.StreamVersion, version);
        });
    }

    // An event that did not come through a contract: written into the store as a newer or broken writer could leave it.
    private async Task StoreRawAsync(Guid id, string type, string data, string stream)
    {
        var dataSource = _factory.Services.GetRequiredService<NpgsqlDataSource>();
        await using var batch = dataSource.CreateBatch();
        batch.BatchCommands.Add(new NpgsqlBatchCommand("insert into mt_streams (id, version) values ($1, 1)")
        {
            Parameters = { new() { Value = $"test/{stream}" } },
        });
        batch.BatchCommands.Add(new NpgsqlBatchCommand("""
            insert into mt_events (seq_id, id, stream_id, version, data, type, mt_dotnet_type, timestamp, headers)
            values (nextval('mt_events_sequence'), $1, $2, 1, $3::jsonb, $4, 'Icp.Contracts.' || $4 || ', Icp.Contracts', now(),
                    '{"source-version": "1"}')
            """)
        {
            Parameters = { new() { Value = id }, new() { Value = $"test/{stream}" }, new() { Value = data }, new() { Value = type } },
        });
        await batch.ExecuteNonQueryAsync();
    }

    private static SurveyItem Scale(string id) => new(id, "An item", null, "scale", "agreement", 1, 5, 4, null, null);

    private static SurveyResponse Response(string id, int answer, string comment) =>
        new(id, null, null, null, ["east"], new Dictionary<string, int?> { ["Q1"] = answer }, new Dictionary<string, string> { ["C1"] = comment });

    private async Task<JsonElement> QuarantineAsync() => await _client.GetFromJsonAsync<JsonElement>("/api/v1/admin/quarantine?limit=1000");

    private static HashSet<(string, string)> Entries(JsonElement quarantine) =>
        quarantine.GetProperty("entries").EnumerateArray()
            .Select(e => (e.GetProperty("consumer").GetString()!, e.GetProperty("itemId").GetString()!)).ToHashSet();

    private async Task<string> ChartAsync() => await _client.GetStringAsync("/api/v1/spc/contacts/east");

    [Fact]
    public async Task Poison_events_are_quarantined_everything_after_them_appears_and_a_rebuild_ends_in_the_same_state()
    {
        await PublishAsync(new IndicatorDefinedV1("contacts", "Contacts", "System flow", "count", "increase", null, "xmr", null, null), "indicator/contacts", 1);
        await PublishAsync(new UnitDefinedV1("east", "East", "neighbourhood", null, "none", null), "unit/east", 1);

        // The poison: NUL in an instrument name, a wave name and a comment (PostgreSQL's jsonb refuses \u0000, so the store
        // itself refuses these three and the inbox sets them aside), an event of a type no contract names, and a unit
        // whose body leaves out what its contract requires (these two in the store, set aside by the read models).
        Guid badInstrument = Guid.NewGuid(), badWave = Guid.NewGuid(), badResponses = Guid.NewGuid(), unknown = Guid.NewGuid(), mismatched = Guid.NewGuid();
        await PublishAsync(new InstrumentDefinedV1("nul", "Staff\u0000survey", "none", [Scale("Q1")]), "instrument/nul", 1, badInstrument);
        await PublishAsync(new WaveDefinedV1("nul-wave", "nul", "Wave\u0000one", "2025-01", 10, ["east"], [], "open"), "wave/nul-wave", 1, badWave);
        await PublishAsync(new SurveyResponsesSubmittedV1("nul-wave", "nul", "s1", "test", [Response("r1", 4, "a\u0000b")]), "wave/nul-wave", 2, badResponses);
        await StoreRawAsync(unknown, "ReferralTeleportedV9", """{"referralId":"r-1"}""", "referral/r-1");
        await StoreRawAsync(mismatched, nameof(UnitDefinedV1), """{"unitId":"west","kind":"neighbourhood"}""", "unit/west");

        // Everything after them: three months of values, and a clean survey.
        for (var month = 1; month <= 3; month++)
            await PublishAsync(new IndicatorValueRevisedV1("contacts", "east", $"2025-0{month}", 10 + month, null, null, "epr", "s1"),
                "series/contacts/east", month);
        await PublishAsync(new InstrumentDefinedV1("ok", "Staff survey", "none", [Scale("Q1")]), "instrument/ok", 1);
        await PublishAsync(new WaveDefinedV1("ok-wave", "ok", "Wave one", "2025-01", 10, ["east"], [], "open"), "wave/ok-wave", 1);
        await PublishAsync(new SurveyResponsesSubmittedV1("ok-wave", "ok", "s1", "test", [Response("r1", 4, "fine"), Response("r2", 2, "ok")]),
            "wave/ok-wave", 2);

        var expected = new HashSet<(string, string)>
        {
            (Inbox.ConsumerName, badInstrument.ToString()), (Inbox.ConsumerName, badWave.ToString()), (Inbox.ConsumerName, badResponses.ToString()),
            (ProjectionRunner.UnknownTypeConsumer, unknown.ToString()), ("indicators", mismatched.ToString()),
        };
        await TestInfrastructure.EventuallyAsync(async () =>
        {
            var chart = await _client.GetAsync("/api/v1/spc/contacts/east");
            var wave = await _client.GetAsync("/api/v1/surveys/waves/ok-wave");
            return chart.IsSuccessStatusCode && (await chart.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("points").GetArrayLength() == 3
                && wave.IsSuccessStatusCode && Entries(await QuarantineAsync()).SetEquals(expected);
        }, "the later events applied and the poison quarantined");

        var quarantine = await QuarantineAsync();
        Assert.Equal(5, quarantine.GetProperty("total").GetInt64());
        Assert.Equal(3, quarantine.GetProperty("byReadModel").GetProperty(Inbox.ConsumerName).GetInt64());
        var responses = quarantine.GetProperty("entries").EnumerateArray().Single(e => e.GetProperty("itemId").GetString() == badResponses.ToString());
        Assert.Equal(nameof(SurveyResponsesSubmittedV1), responses.GetProperty("eventType").GetString());
        Assert.StartsWith("PostgreSQL 22P05", responses.GetProperty("error").GetString()); // untranslatable character
        var wrongBody = quarantine.GetProperty("entries").EnumerateArray().Single(e => e.GetProperty("itemId").GetString() == mismatched.ToString());
        Assert.StartsWith("JsonException", wrongBody.GetProperty("error").GetString());
        var waveAnalysis = await _client.GetFromJsonAsync<JsonElement>("/api/v1/surveys/waves/ok-wave");
        Assert.Equal(2, waveAnalysis.GetProperty("respondents").GetInt32());
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync("/api/v1/surveys/waves/nul-wave")).StatusCode);

        // Readiness says so: still serving (200) but Degraded, with the lag and the quarantine's size.
        using (var ready = await _client.GetAsync("/health/ready"))
        {
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
            var health = await ready.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal("Degraded", health.GetProperty("status").GetString());
            var readModels = health.GetProperty("checks").GetProperty("read-models");
            Assert.Equal("Degraded", readModels.GetProperty("status").GetString());
            Assert.Equal(5, readModels.GetProperty("data").GetProperty("quarantined").GetInt64());
            Assert.Equal(0, readModels.GetProperty("data").GetProperty("eventsBehind").GetInt64());
        }

        // The events the store refused are offered to it again on a retry, and refused again: still set aside, counted.
        var refused = await _client.PostAsync($"/api/v1/admin/quarantine/retry?readModel={Inbox.ConsumerName}", null).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal((3, 0), (refused.GetProperty("retried").GetInt32(), refused.GetProperty("applied").GetInt32()));
        Assert.All(refused.GetProperty("stillQuarantined").EnumerateArray(), e => Assert.Equal(2, e.GetProperty("attempts").GetInt32()));

        // A rebuild replays the same events into the same walls: the same charts, the same quarantine.
        var chartBefore = await ChartAsync();
        Assert.Equal(HttpStatusCode.Accepted, (await _client.PostAsync("/api/v1/admin/rebuild", null)).StatusCode);
        await TestInfrastructure.EventuallyAsync(async () =>
        {
            var chart = await _client.GetAsync("/api/v1/spc/contacts/east");
            return chart.IsSuccessStatusCode && await chart.Content.ReadAsStringAsync() == chartBefore
                && Entries(await QuarantineAsync()).SetEquals(expected)
                && (await _client.GetAsync("/api/v1/surveys/waves/ok-wave")).IsSuccessStatusCode;
        }, "the rebuilt read models");
        Assert.Equal(5, (await QuarantineAsync()).GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task One_read_models_failure_stops_no_other_and_its_events_apply_once_it_is_fixed()
    {
        _flaky.FailingUnits.Add("north");
        var north = Guid.NewGuid();
        await PublishAsync(new UnitDefinedV1("north", "North", "neighbourhood", null, "comparison", null), "unit/north", 1, north);
        await PublishAsync(new UnitDefinedV1("south", "South", "neighbourhood", null, "comparison", null), "unit/south", 1);

        var db = _factory.Services.GetRequiredService<NpgsqlDataSource>();
        await using var unitsApplied = db.CreateCommand("select count(*) from rm_units where unit_id in ('north', 'south')");
        await TestInfrastructure.EventuallyAsync(async () =>
            Entries(await QuarantineAsync()).SetEquals([("flaky", north.ToString())]) && (long)(await unitsApplied.ExecuteScalarAsync())! == 2,
            "north set aside by the flaky read model only, and both units in the real one");
        async Task<string[]> FlakyUnits()
        {
            await using var command = db.CreateCommand("select unit_id from rm_flaky order by unit_id");
            var units = new List<string>();
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync()) units.Add(reader.GetString(0));
            return [.. units];
        }
        Assert.Equal(["south"], await FlakyUnits());

        // Retried before the fix: still quarantined, one more attempt counted.
        var retry = await _client.PostAsync("/api/v1/admin/quarantine/retry", null).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal((1, 0), (retry.GetProperty("retried").GetInt32(), retry.GetProperty("applied").GetInt32()));
        Assert.Equal(2, retry.GetProperty("stillQuarantined")[0].GetProperty("attempts").GetInt32());

        // Fixed, then retried one by one: applied, and the quarantine is empty.
        _flaky.FailingUnits.Clear();
        var one = await _client.PostAsync($"/api/v1/admin/quarantine/flaky/{north}/retry", null).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(1, one.GetProperty("applied").GetInt32());
        Assert.Equal(["north", "south"], await FlakyUnits());
        Assert.Equal(0, (await QuarantineAsync()).GetProperty("total").GetInt64());
        await _client.PostAsync($"/api/v1/admin/quarantine/flaky/{north}/retry", null).ExpectAsync(HttpStatusCode.NotFound);
        var health = await _client.GetFromJsonAsync<JsonElement>("/health/ready");
        Assert.Equal("Healthy", health.GetProperty("checks").GetProperty("read-models").GetProperty("status").GetString());

        // A transient failure (the database, not the data) quarantines nothing: the batch is simply tried again.
        _flaky.FailOnceTransiently = true;
        await PublishAsync(new UnitDefinedV1("west", "West", "neighbourhood", null, "comparison", null), "unit/west", 1);
        await TestInfrastructure.EventuallyAsync(async () => (await FlakyUnits()).Contains("west"), "west applied after the transient failure");
        Assert.False(_flaky.FailOnceTransiently);
        Assert.Equal(0, (await QuarantineAsync()).GetProperty("total").GetInt64());
    }
}

using Icp.Contracts.Indicators;
using Icp.EventStore;
using Icp.TestSupport;
using Marten;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Xunit;

namespace Icp.Projections.Tests;

// Inside the namespace, or Icp.Projections.EventLog (the event feed's namespace) hides this class.
using EventLog = Icp.EventStore.EventLog;

/// <summary>
/// The projection service in process on the real PostgreSQL, its read models run by Marten's async daemon: two writers
/// commit to its store out of order, and neither event is skipped.
/// </summary>
public sealed class LateCommitTests : IAsyncLifetime
{
    private ProjectionHost _host = null!;
    private WebApplicationFactory<ProjectionRunner> _factory = null!;

    public async Task InitializeAsync()
    {
        _host = await ProjectionHost.StartAsync("late");
        _factory = _host.Factory;
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static IndicatorValuesRevisedV2 Revision(string unitId, double value) =>
        new("contacts", null, unitId, "epr", $"s-{unitId}", [new MonthRevision("2025-01", value, null, null)]);

    [Fact]
    public async Task An_event_committed_late_behind_a_later_one_still_reaches_the_read_models()
    {
        var dataSource = _factory.Services.GetRequiredService<NpgsqlDataSource>();
        var log = new EventLog(_factory.Services.GetRequiredService<IDocumentStore>(), dataSource);
        await using var applied = dataSource.CreateCommand("select unit_id, value from rm_values where indicator_id = 'contacts' order by unit_id");
        async Task<Dictionary<string, double>> ValuesAsync()
        {
            var values = new Dictionary<string, double>();
            await using var reader = await applied.ExecuteReaderAsync();
            while (await reader.ReadAsync()) values[reader.GetString(0)] = reader.GetDouble(1);
            return values;
        }
        await log.AppendAsync(new StreamAppend("test/series/contacts/first", ExpectedVersion.Any, [Revision("first", 1)]), EventMetadata.Empty);
        await TestInfrastructure.EventuallyAsync(async () => (await ValuesAsync()).ContainsKey("first"), "the daemon to run");

        // Writer A takes its sequence number first and holds its transaction open past Marten's stale-gap threshold
        // (3 s) while writer B commits after it; then A commits.
        var aInserted = new TaskCompletionSource();
        var releaseA = new TaskCompletionSource();
        var writerA = log.AppendAsync(new StreamAppend("test/series/contacts/late", ExpectedVersion.Any, [Revision("late", 2)]),
            EventMetadata.Empty, async (_, _, _) =>
            {
                aInserted.TrySetResult();
                await releaseA.Task;
            });
        await aInserted.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await log.AppendAsync(new StreamAppend("test/series/contacts/early", ExpectedVersion.Any, [Revision("early", 3)]), EventMetadata.Empty);
        await Task.Delay(TimeSpan.FromSeconds(6));
        releaseA.SetResult();
        await writerA;

        await TestInfrastructure.EventuallyAsync(async () => (await ValuesAsync()).Count == 3, "both events in the read models");
        Assert.Equal(new Dictionary<string, double> { ["early"] = 3, ["first"] = 1, ["late"] = 2 }, await ValuesAsync());
        var late = (await log.ReadStreamAsync("test/series/contacts/late"))[0];
        var early = (await log.ReadStreamAsync("test/series/contacts/early"))[0];
        Assert.True(late.Sequence < early.Sequence, "the late writer took the lower sequence number");
    }
}

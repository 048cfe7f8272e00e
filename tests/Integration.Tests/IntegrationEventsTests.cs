using Icp.Contracts.Referrals;
using Icp.EventStore;
using Icp.Hosting;
using Icp.Hosting.Messaging;
using Marten;
using Npgsql;
using Xunit;

namespace Icp.Integration.Tests;

public sealed class IntegrationEventsTests
{
    [Fact]
    public void Only_the_contract_types_themselves_are_integration_events()
    {
        Assert.True(IntegrationEvents.IsContract(typeof(ReferralTriagedV1)));
        Assert.False(IntegrationEvents.IsContract(new { referralId = "R-1" }.GetType()));
        Assert.False(IntegrationEvents.IsContract(typeof(ReferralTriagedV1Lookalike.ReferralTriagedV1)));
    }

    [Fact]
    public async Task A_write_service_refuses_to_store_anything_but_a_contract_before_it_reaches_the_database()
    {
        // No database behind it: the refusal must come first.
        var dataSource = NpgsqlDataSource.Create("Host=127.0.0.1;Port=1;Database=none;Username=none;Password=none");
        var options = MartenSetup.StoreOptions();
        options.Connection(dataSource);
        using var store = new DocumentStore(options);
        var log = new EventLog(store, dataSource, IntegrationEvents.IsContract);
        var error = await Assert.ThrowsAsync<ArgumentException>(() => log.AppendAsync(
            new StreamAppend("referral/R-1", ExpectedVersion.Any, [new { referralId = "R-1" }]), EventMetadata.Empty));
        Assert.StartsWith("Not an integration event", error.Message);
    }
}

/// <summary>Holds a record named like a contract, but not one.</summary>
public static class ReferralTriagedV1Lookalike
{
    public sealed record ReferralTriagedV1(string ReferralId);
}

using Icp.Contracts.Referrals;
using Icp.EventStore;
using Icp.Hosting.Messaging;
using Xunit;

namespace Icp.Integration.Tests;

public sealed class IntegrationEventsTests
{
    [Fact]
    public void An_event_is_named_and_serialised_by_its_runtime_type_and_anything_else_is_refused()
    {
        object step = new ReferralTriagedV1("R-1", "east", "gp", "reablement", new DateOnly(2025, 3, 3), new DateOnly(2025, 3, 4), "accepted", null);
        var stored = IntegrationEvents.ToNewEvent(step, EventMetadata.Empty);
        Assert.Equal("ReferralTriagedV1", stored.EventType);
        Assert.Contains("\"triagedOn\":\"2025-03-04\"", stored.Data);
        Assert.Throws<ArgumentException>(() => IntegrationEvents.ToNewEvent(new { referralId = "R-1" }, EventMetadata.Empty));
    }
}

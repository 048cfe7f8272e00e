using System.Collections.Concurrent;
using Icp.Contracts.Referrals;
using MassTransit;

namespace Icp.Referrals.Tests;

/// <summary>The referrals service in process, with the lifecycle events it published to RabbitMQ.</summary>
public sealed class ReferralsHost() : ServiceHost<ReferralsApiMarker>("ref")
{
    public ConcurrentQueue<object> Published { get; } = new();

    protected override void Subscribe(IReceiveEndpointConfigurator endpoint)
    {
        endpoint.Handler<ReferralReceivedV1>(context => { Published.Enqueue(context.Message); return Task.CompletedTask; });
        endpoint.Handler<ReferralTriagedV1>(context => { Published.Enqueue(context.Message); return Task.CompletedTask; });
        endpoint.Handler<ReferralAssessedV1>(context => { Published.Enqueue(context.Message); return Task.CompletedTask; });
        endpoint.Handler<ReferralServiceStartedV1>(context => { Published.Enqueue(context.Message); return Task.CompletedTask; });
        endpoint.Handler<ReferralDischargedV1>(context => { Published.Enqueue(context.Message); return Task.CompletedTask; });
    }
}

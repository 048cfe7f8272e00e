using System.Collections.Concurrent;
using Icp.Contracts.Indicators;
using MassTransit;

namespace Icp.Indicators.Tests;

/// <summary>The indicators service in process, with what it published to RabbitMQ.</summary>
public sealed class IndicatorsHost() : ServiceHost<IndicatorsApiMarker>("ind")
{
    public ConcurrentQueue<IndicatorValueRevisedV1> PublishedRevisions { get; } = new();
    public ConcurrentQueue<UnitDefinedV1> PublishedUnits { get; } = new();

    protected override void Subscribe(IReceiveEndpointConfigurator endpoint)
    {
        endpoint.Handler<IndicatorValueRevisedV1>(context => { PublishedRevisions.Enqueue(context.Message); return Task.CompletedTask; });
        endpoint.Handler<UnitDefinedV1>(context => { PublishedUnits.Enqueue(context.Message); return Task.CompletedTask; });
    }
}

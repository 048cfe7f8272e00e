using System.Collections.Concurrent;
using Icp.Contracts.Indicators;
using MassTransit;

namespace Icp.Indicators.Tests;

/// <summary>The indicators service in process, with what it published to RabbitMQ.</summary>
/// <summary>One month of a published revision event, as a subscriber would unpack it.</summary>
public sealed record PublishedValue(string IndicatorId, string? Category, string UnitId, string Period, double? Value, double? Numerator,
    double? Denominator, string SubmissionId);

public sealed class IndicatorsHost() : ServiceHost<IndicatorsApiMarker>("ind")
{
    public ConcurrentQueue<PublishedValue> PublishedRevisions { get; } = new();
    public ConcurrentQueue<IndicatorValuesRevisedV2> PublishedEvents { get; } = new();
    public ConcurrentQueue<UnitDefinedV1> PublishedUnits { get; } = new();

    protected override void Subscribe(IReceiveEndpointConfigurator endpoint)
    {
        endpoint.Handler<IndicatorValuesRevisedV2>(context =>
        {
            var e = context.Message;
            PublishedEvents.Enqueue(e);
            foreach (var m in e.Months)
                PublishedRevisions.Enqueue(new PublishedValue(e.IndicatorId, e.Category, e.UnitId, m.Period, m.Value, m.Numerator, m.Denominator,
                    e.SubmissionId));
            return Task.CompletedTask;
        });
        endpoint.Handler<UnitDefinedV1>(context => { PublishedUnits.Enqueue(context.Message); return Task.CompletedTask; });
    }
}

using System.Diagnostics;
using System.Text.Json;
using Icp.Contracts;
using Icp.EventStore;
using MassTransit;
using Npgsql;

namespace Icp.Hosting.Messaging;

/// <summary>
/// Stores every received integration event of one type in this service's own event store, once per event id,
/// under its origin's stream id and version. Read models are built from that store, not from the messages.
/// </summary>
public sealed class InboxConsumer<T>(NpgsqlDataSource dataSource) : IConsumer<Batch<T>> where T : class
{
    public async Task Consume(ConsumeContext<Batch<T>> context)
    {
        var received = new List<ReceivedEvent>(context.Message.Length);
        foreach (var message in context.Message)
            received.Add(ToReceived(message));
        await Inbox.StoreAsync(dataSource, "inbox", received, context.CancellationToken);
    }

    private static ReceivedEvent ToReceived(ConsumeContext<T> message)
    {
        var headers = message.Headers;
        var source = headers.Get<string>(IntegrationHeaders.SourceService) ?? "unknown";
        var streamId = headers.Get<string>(IntegrationHeaders.StreamId)
            ?? throw new InvalidOperationException($"Message {message.MessageId} has no {IntegrationHeaders.StreamId} header.");
        var version = headers.Get<long>(IntegrationHeaders.StreamVersion)
            ?? throw new InvalidOperationException($"Message {message.MessageId} has no {IntegrationHeaders.StreamVersion} header.");
        DateTimeOffset? recordedAt = DateTimeOffset.TryParse(headers.Get<string>(IntegrationHeaders.RecordedAt), out var at) ? at : null;
        var activity = Activity.Current;
        return new ReceivedEvent(
            message.MessageId ?? throw new InvalidOperationException("Message has no MessageId."),
            $"{source}/{streamId}",
            version,
            typeof(T).Name,
            JsonSerializer.Serialize(message.Message, ServiceDefaults.Json),
            new EventMetadata
            {
                CorrelationId = headers.Get<string>("icp-correlation-id") ?? message.CorrelationId?.ToString(),
                CausationId = message.MessageId?.ToString(),
                TraceParent = activity?.Id,
                TraceState = activity?.TraceStateString,
                Principal = headers.Get<string>(IntegrationHeaders.Principal),
                SourceSystem = headers.Get<string>(IntegrationHeaders.SourceSystem),
                SourceStreamVersion = version,
                SourceRecordedAt = recordedAt,
            });
    }
}

public static class InboxRegistration
{
    /// <summary>Registers an inbox batch consumer for every integration event type, all on one receive endpoint.</summary>
    public static void AddInboxConsumers(this IBusRegistrationConfigurator x)
    {
        foreach (var type in IntegrationEventTypes.All)
            x.AddConsumer(typeof(InboxConsumer<>).MakeGenericType(type), typeof(InboxConsumerDefinition<>).MakeGenericType(type));
    }
}

public sealed class InboxConsumerDefinition<T> : ConsumerDefinition<InboxConsumer<T>> where T : class
{
    /// <summary>Tries, two seconds apart, before a batch is given up on for a database fault: a 30-minute outage.</summary>
    public const int StoreOutageRetries = 900;

    public InboxConsumerDefinition(ServiceInfo service)
    {
        EndpointName = $"{service.Name}-inbox";
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpoint, IConsumerConfigurator<InboxConsumer<T>> consumer,
        IRegistrationContext context)
    {
        endpoint.PrefetchCount = 2000;
        consumer.Options<BatchOptions>(o => o.SetMessageLimit(500).SetTimeLimit(TimeSpan.FromMilliseconds(20)).SetConcurrencyLimit(2));
        // While the database is away (restarting, failing over) a batch waits for it rather than exhausting the bus's
        // few retries and landing in the error queue, where nothing would apply it until someone re-drives it.
        consumer.UseMessageRetry(r =>
        {
            r.Handle<NpgsqlException>(e => e.IsTransient || e is not PostgresException);
            r.Handle<TimeoutException>();
            r.Interval(StoreOutageRetries, TimeSpan.FromSeconds(2));
        });
    }
}

using MassTransit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Icp.Hosting.Messaging;

/// <summary>
/// Restarts the bus when one of its receive endpoints has been faulted for a minute. MassTransit reconnects by itself
/// after a broker outage, except when the connection drops while a message is being acknowledged: then the endpoint
/// can stay faulted for good and the service consumes nothing more (seen in the fault suite: a RabbitMQ outage left
/// the projection service's inbox faulted, every later event unapplied). A bus can be stopped and started again.
/// </summary>
public sealed partial class BusWatchdog(IBusControl bus, TimeProvider clock, ILogger<BusWatchdog> logger) : BackgroundService
{
    public static readonly TimeSpan FaultedFor = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    private static readonly System.Diagnostics.Metrics.Counter<long> Restarts =
        Telemetry.Meter.CreateCounter<long>("icp.bus.restarts", description: "Bus restarts after a receive endpoint stayed faulted");

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        DateTimeOffset? faultedSince = null;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(Interval, clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            var faulted = bus.CheckHealth().Endpoints.Where(e => e.Value.Status == BusHealthStatus.Unhealthy).Select(e => e.Key).ToList();
            if (faulted.Count == 0)
            {
                faultedSince = null;
                continue;
            }
            faultedSince ??= clock.GetUtcNow();
            if (clock.GetUtcNow() - faultedSince < FaultedFor) continue;
            LogRestarting(string.Join(", ", faulted));
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                timeout.CancelAfter(TimeSpan.FromSeconds(30));
                await bus.StopAsync(timeout.Token);
                await bus.StartAsync(stoppingToken);
                Restarts.Add(1);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                LogRestartFailed(e); // tried again after another minute
            }
            faultedSince = null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Receive endpoints faulted for a minute ({Endpoints}); restarting the bus")]
    private partial void LogRestarting(string endpoints);

    [LoggerMessage(Level = LogLevel.Error, Message = "Restarting the bus failed")]
    private partial void LogRestartFailed(Exception e);
}

using Microsoft.Extensions.Diagnostics.HealthChecks;
using Yarp.ReverseProxy;
using Yarp.ReverseProxy.Model;

namespace Icp.Gateway;

/// <summary>
/// Whether each service behind the gateway has a destination that its probes or the traffic have not found failing.
/// (YARP's own availability cannot tell: its default policy, healthy-or-panic, sends to a failing destination when
/// there is no other.) Some services down is Degraded, not Unhealthy: the gateway still serves the rest of the API,
/// and taking it out of a load balancer for one service's outage would turn a partial outage into a whole one.
/// None reachable is Unhealthy.
/// </summary>
public sealed class DestinationsHealthCheck(IProxyStateLookup proxy) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        static bool Reachable(DestinationState d) => d.Health.Active != DestinationHealth.Unhealthy && d.Health.Passive != DestinationHealth.Unhealthy;
        var clusters = proxy.GetClusters().OrderBy(c => c.ClusterId, StringComparer.Ordinal).ToList();
        var data = clusters.ToDictionary(c => c.ClusterId,
            c => (object)$"{c.Destinations.Values.Count(Reachable)} of {c.Destinations.Count} destinations reachable");
        var down = clusters.Where(c => !c.Destinations.Values.Any(Reachable)).Select(c => c.ClusterId).ToList();
        var result = down.Count == 0 ? HealthCheckResult.Healthy($"All {clusters.Count} services reachable.", data)
            : down.Count < clusters.Count ? HealthCheckResult.Degraded($"Not reachable: {string.Join(", ", down)}.", data: data)
            : HealthCheckResult.Unhealthy("No service is reachable.", data: data);
        return Task.FromResult(result);
    }
}

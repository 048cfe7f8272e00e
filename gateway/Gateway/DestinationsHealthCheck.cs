using System.Text.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Yarp.ReverseProxy;
using Yarp.ReverseProxy.Model;

namespace Icp.Gateway;

/// <summary>
/// Whether each service behind the gateway has a destination that its probes or the traffic have not found failing
/// (YARP's own availability cannot tell: its default policy, healthy-or-panic, sends to a failing destination when
/// there is no other), and what those services' own readiness says. Some services down, or a service reporting
/// itself Degraded (read models behind or events quarantined, say), is Degraded, not Unhealthy: the gateway still
/// serves the rest of the API, and taking it out of a load balancer for one service's trouble would turn a partial
/// outage into a whole one. None reachable is Unhealthy. Services' readiness is asked at most every few seconds,
/// however often this check is called.
/// </summary>
public sealed class DestinationsHealthCheck(IProxyStateLookup proxy, IHttpClientFactory httpClients, TimeProvider clock) : IHealthCheck
{
    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private (DateTimeOffset At, IReadOnlyDictionary<string, ServiceReadiness> Readiness)? _cached;

    private sealed record ServiceReadiness(string Status, string? Description);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        static bool Reachable(DestinationState d) => d.Health.Active != DestinationHealth.Unhealthy && d.Health.Passive != DestinationHealth.Unhealthy;
        var clusters = proxy.GetClusters().OrderBy(c => c.ClusterId, StringComparer.Ordinal).ToList();
        var readiness = await ReadinessAsync(clusters, Reachable, cancellationToken);
        var data = clusters.ToDictionary(c => c.ClusterId, c => (object)new
        {
            reachable = $"{c.Destinations.Values.Count(Reachable)} of {c.Destinations.Count} destinations reachable",
            ready = readiness.GetValueOrDefault(c.ClusterId)?.Status,
            description = readiness.GetValueOrDefault(c.ClusterId)?.Description,
        });
        // Down: no destination that YARP's probes find alive, or none that answers its readiness.
        var down = clusters.Where(c => !c.Destinations.Values.Any(Reachable) || !readiness.ContainsKey(c.ClusterId))
            .Select(c => c.ClusterId).ToList();
        var notReady = readiness.Where(r => r.Value.Status != nameof(HealthStatus.Healthy) && !down.Contains(r.Key))
            .OrderBy(r => r.Key, StringComparer.Ordinal)
            .Select(r => $"{r.Key} ({r.Value.Status}{(r.Value.Description is { } d ? ": " + d : "")})").ToList();
        if (down.Count == clusters.Count) return HealthCheckResult.Unhealthy("No service is reachable.", data: data);
        var problems = new List<string>();
        if (down.Count > 0) problems.Add($"Not reachable: {string.Join(", ", down)}.");
        if (notReady.Count > 0) problems.Add($"Not ready: {string.Join("; ", notReady)}");
        return problems.Count == 0
            ? HealthCheckResult.Healthy($"All {clusters.Count} services reachable and ready.", data)
            : HealthCheckResult.Degraded(string.Join(" ", problems), data: data);
    }

    private async Task<IReadOnlyDictionary<string, ServiceReadiness>> ReadinessAsync(IReadOnlyList<ClusterState> clusters,
        Func<DestinationState, bool> reachable, CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            if (_cached is { } cached && clock.GetUtcNow() - cached.At < CacheFor) return cached.Readiness;
            var asked = await Task.WhenAll(clusters.Select(async c =>
            {
                // A service is as ready as its readiest reachable destination.
                var answers = await Task.WhenAll(c.Destinations.Values.Where(reachable).Select(d => AskAsync(d, ct)));
                return (c.ClusterId, Best: answers.OfType<ServiceReadiness>().OrderBy(a => Rank(a.Status)).FirstOrDefault());
            }));
            var readiness = asked.Where(a => a.Best is not null).ToDictionary(a => a.ClusterId, a => a.Best!);
            _cached = (clock.GetUtcNow(), readiness);
            return readiness;
        }
        finally
        {
            _gate.Release();
        }
    }

    private static int Rank(string status) => status switch { "Healthy" => 0, "Degraded" => 1, _ => 2 };

    /// <summary>The destination's own readiness, or null when it does not answer.</summary>
    private async Task<ServiceReadiness?> AskAsync(DestinationState destination, CancellationToken ct)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(Timeout);
            var http = httpClients.CreateClient(nameof(DestinationsHealthCheck));
            var address = new Uri(new Uri(destination.Model.Config.Address), "health/ready");
            using var response = await http.GetAsync(address, timeout.Token);
            await using var body = await response.Content.ReadAsStreamAsync(timeout.Token);
            using var json = await JsonDocument.ParseAsync(body, cancellationToken: timeout.Token);
            var status = json.RootElement.TryGetProperty("status", out var s) && s.GetString() is { } text ? text : "Unhealthy";
            var details = json.RootElement.TryGetProperty("checks", out var checks) && checks.ValueKind == JsonValueKind.Object
                ? checks.EnumerateObject()
                    .Where(c => c.Value.TryGetProperty("status", out var cs) && cs.GetString() != nameof(HealthStatus.Healthy))
                    .Select(c => c.Value.TryGetProperty("description", out var d) && d.GetString() is { } dt ? dt : c.Name)
                    .ToList()
                : [];
            return new ServiceReadiness(status, details.Count > 0 ? string.Join(" ", details) : null);
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or JsonException)
        {
            return null;
        }
    }
}

using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Icp.Hosting.Security;

/// <summary>
/// Which system (borough) each unit belongs to: the unit itself when it is a system, else its nearest ancestor that is
/// one; null for a unit under no system. The indicators service owns the unit tree; the others read it from there and
/// keep it for a few seconds, reading again at once (at most ten times a second) when a unit they are asked about is missing.
/// </summary>
public abstract class UnitSystems(TimeProvider clock)
{
    private static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan MinAgeForMissRefresh = TimeSpan.FromMilliseconds(100);
    private readonly SemaphoreSlim _loading = new(1, 1);
    private (IReadOnlyDictionary<string, string?> Map, DateTimeOffset At)? _snapshot;

    /// <summary>Every unit's system, read from the unit tree.</summary>
    protected abstract Task<IReadOnlyDictionary<string, string?>> LoadAsync(CancellationToken ct);

    /// <summary>What <paramref name="caller"/> may see, current for every unit in <paramref name="mentioned"/>.</summary>
    public async Task<UnitScope> ScopeAsync(Caller caller, IEnumerable<string>? mentioned, CancellationToken ct)
    {
        if (caller.SeesAllSystems) return UnitScope.Everything;
        var map = await SnapshotAsync(mentioned?.ToList() ?? [], ct);
        return new UnitScope(caller, map);
    }

    public Task<UnitScope> ScopeAsync(Caller caller, string unitId, CancellationToken ct) => ScopeAsync(caller, [unitId], ct);

    private async Task<IReadOnlyDictionary<string, string?>> SnapshotAsync(List<string> mentioned, CancellationToken ct)
    {
        if (Fresh(mentioned) is { } current) return current;
        await _loading.WaitAsync(ct);
        try
        {
            if (Fresh(mentioned) is { } loadedMeanwhile) return loadedMeanwhile;
            var map = await LoadAsync(ct);
            _snapshot = (map, clock.GetUtcNow());
            return map;
        }
        finally { _loading.Release(); }
    }

    private IReadOnlyDictionary<string, string?>? Fresh(List<string> mentioned)
    {
        if (_snapshot is not { } snapshot) return null;
        var age = clock.GetUtcNow() - snapshot.At;
        if (age > MaxAge) return null;
        if (age > MinAgeForMissRefresh && mentioned.Any(u => !snapshot.Map.ContainsKey(u))) return null;
        return snapshot.Map;
    }

    /// <summary>Resolves every unit's system from (unit, kind, parent) rows; a cycle ends the walk with no system.</summary>
    public static Dictionary<string, string?> Resolve(IEnumerable<(string UnitId, string Kind, string? ParentId)> units)
    {
        var byId = units.ToDictionary(u => u.UnitId, StringComparer.Ordinal);
        var systems = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var unit in byId.Values)
        {
            var visited = new HashSet<string>(StringComparer.Ordinal);
            var current = unit;
            string? system = null;
            while (visited.Add(current.UnitId))
            {
                if (current.Kind == "system") { system = current.UnitId; break; }
                if (current.ParentId is not { } parent || !byId.TryGetValue(parent, out var next)) break;
                current = next;
            }
            systems[unit.UnitId] = system;
        }
        return systems;
    }
}

/// <summary>The units a caller may see. Anything else is answered as if it did not exist (404), so ids do not leak.</summary>
public sealed class UnitScope
{
    public static readonly UnitScope Everything = new(null, null);

    private readonly Caller? _caller;
    private readonly IReadOnlyDictionary<string, string?>? _systems;

    internal UnitScope(Caller? caller, IReadOnlyDictionary<string, string?>? systems) => (_caller, _systems) = (caller, systems);

    public bool IsEverything => _caller is null;

    /// <summary>Whether the unit is one of the caller's; an unknown unit is not (except to a caller who sees everything).</summary>
    public bool Includes(string? unitId) =>
        _caller is null || (unitId is not null && _systems!.TryGetValue(unitId, out var system) && _caller.MaySee(system));

    public bool IncludesAll(IEnumerable<string> unitIds) => unitIds.All(Includes);

    /// <summary>The units included, for a query to filter on; null when the caller sees every unit.</summary>
    public string[]? UnitIds => _caller is null ? null : _systems!.Where(u => _caller.MaySee(u.Value)).Select(u => u.Key).ToArray();

    public const string NotFoundDetail = "No such unit.";
}

/// <summary>The unit tree from the indicators service (configuration Indicators:BaseUrl), over its /internal endpoint.</summary>
public sealed class RemoteUnitSystems(HttpClient http, IConfiguration configuration, TimeProvider clock) : UnitSystems(clock)
{
    public const string BaseUrlSetting = "Indicators:BaseUrl";
    public const string DefaultUrl = "http://127.0.0.1:5101/";
    public const string Path = "internal/v1/unit-systems";

    protected override async Task<IReadOnlyDictionary<string, string?>> LoadAsync(CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Path);
        ServiceSecret.Present(request, configuration);
        HttpResponseMessage response;
        try { response = await http.SendAsync(request, ct); }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            throw new UnitDirectoryUnavailableException($"The indicators service could not be reached for the unit tree ({e.GetType().Name}).");
        }
        using var _ = response;
        if (!response.IsSuccessStatusCode)
            throw new UnitDirectoryUnavailableException($"The indicators service answered {(int)response.StatusCode} for the unit tree.");
        return await response.Content.ReadFromJsonAsync<Dictionary<string, string?>>(ServiceDefaults.Json, ct)
               ?? throw new UnitDirectoryUnavailableException("The indicators service sent no unit tree.");
    }
}

/// <summary>The unit tree could not be read, so no non-operator request that depends on it can be answered (503).</summary>
public sealed class UnitDirectoryUnavailableException(string message) : Exception(message);

public static class UnitSystemsSetup
{
    /// <summary>Reads the unit tree from the indicators service (every service but that one).</summary>
    public static IServiceCollection AddRemoteUnitSystems(this IServiceCollection services)
    {
        services.AddServiceClient<RemoteUnitSystems>(RemoteUnitSystems.BaseUrlSetting, RemoteUnitSystems.DefaultUrl);
        services.AddSingleton<UnitSystems>(sp => sp.GetRequiredService<RemoteUnitSystems>());
        return services;
    }

    /// <summary>
    /// 404 (as if it did not exist) when the route's <paramref name="parameter"/> names a unit outside the caller's
    /// systems. The operator and callers who see every system pass without a look-up.
    /// </summary>
    public static TBuilder RequireUnitInScope<TBuilder>(this TBuilder builder, string parameter = "unitId")
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            var caller = http.Caller();
            if (caller.SeesAllSystems || http.Request.RouteValues[parameter] is not string unitId) return await next(context);
            var scope = await http.RequestServices.GetRequiredService<UnitSystems>().ScopeAsync(caller, unitId, http.RequestAborted);
            return scope.Includes(unitId) ? await next(context) : Problems.NotFound(UnitScope.NotFoundDetail);
        });

    public static Task<UnitScope> UnitScopeAsync(this HttpContext http, IEnumerable<string>? mentioned = null) =>
        http.Caller().SeesAllSystems
            ? Task.FromResult(UnitScope.Everything)
            : http.RequestServices.GetRequiredService<UnitSystems>().ScopeAsync(http.Caller(), mentioned, http.RequestAborted);
}

using Icp.EventStore;
using Icp.Hosting.Security;

namespace Icp.Indicators;

/// <summary>The unit tree as this service stores it; the other services read it through <c>/internal/v1/unit-systems</c>.</summary>
public sealed class StoredUnitSystems(EventLog store, TimeProvider clock) : UnitSystems(clock)
{
    protected override async Task<IReadOnlyDictionary<string, string?>> LoadAsync(CancellationToken ct)
    {
        await using var command = store.DataSource.CreateCommand("select unit_id, data->>'kind', data->>'parentId' from units");
        await using var reader = await command.ExecuteReaderAsync(ct);
        var units = new List<(string, string, string?)>();
        while (await reader.ReadAsync(ct)) units.Add((reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2)));
        return Resolve(units);
    }

    public Task<IReadOnlyDictionary<string, string?>> AllAsync(CancellationToken ct) => LoadAsync(ct);
}

using System.Text.Json;
using Icp.Contracts.Indicators;
using Icp.EventStore;
using Icp.Hosting;
using Icp.Hosting.Messaging;
using Icp.Indicators.Domain;
using Npgsql;

namespace Icp.Indicators;

public enum SaveOutcome { Created, Updated, Unchanged }

/// <summary>Units and indicators: each change is an event on the item's own stream, mirrored inline in a table.</summary>
public sealed class ReferenceDataService(EventLog store, EventMetadataFactory metadata)
{
    public async Task<SaveOutcome> SaveUnitAsync(string unitId, UnitRequest request, CancellationToken ct)
    {
        var attributes = request.Attributes is { } given
            ? Ordered(given.Select(a => new UnitAttribute(a!.Name!, a.Value!.Trim(), a.From!)))
            : await CurrentAttributesAsync(unitId, ct);
        var unit = new UnitDefinedV1(unitId, request.Name!.Trim(), request.Kind!, request.ParentId, request.Role ?? "none", request.GoLive)
        {
            Attributes = attributes,
        };
        return await SaveAsync($"unit/{unitId}", unit, "units", "unit_id", unitId, null, ct);
    }

    /// <summary>Sets one dated attribute of an existing unit (replacing the entry with the same name and month); null when the unit is unknown.</summary>
    public async Task<SaveOutcome?> SetUnitAttributeAsync(string unitId, UnitAttributeRequest attribute, CancellationToken ct)
    {
        var (_, data) = await CurrentAsync("units", "unit_id", unitId, ct);
        if (data is null) return null;
        var unit = data.Value.Deserialize<UnitDefinedV1>(ServiceDefaults.Json)!;
        var attributes = (unit.Attributes ?? []).Where(a => !(a.Name == attribute.Name && a.From == attribute.From))
            .Append(new UnitAttribute(attribute.Name!, attribute.Value!.Trim(), attribute.From!));
        return await SaveAsync($"unit/{unitId}", unit with { Attributes = Ordered(attributes) }, "units", "unit_id", unitId, null, ct);
    }

    /// <summary>Creates the default catalogue's indicators that do not exist yet; existing ones keep their (maybe edited) definition.</summary>
    public async Task<(List<string> Created, List<string> Kept)> LoadDefaultCatalogueAsync(CancellationToken ct)
    {
        var created = new List<string>();
        var kept = new List<string>();
        foreach (var entry in DefaultCatalogue.Indicators)
        {
            if ((await CurrentAsync("indicators", "indicator_id", entry.IndicatorId, ct)).Data is not null)
            {
                kept.Add(entry.IndicatorId);
                continue;
            }
            try
            {
                await SaveIndicatorAsync(entry.IndicatorId, entry.Definition, ct);
                created.Add(entry.IndicatorId);
            }
            catch (ConcurrencyException)
            {
                kept.Add(entry.IndicatorId); // created by someone else meanwhile
            }
        }
        return (created, kept);
    }

    private static List<UnitAttribute>? Ordered(IEnumerable<UnitAttribute> attributes)
    {
        var list = attributes.OrderBy(a => a.Name, StringComparer.Ordinal).ThenBy(a => a.From, StringComparer.Ordinal).ToList();
        return list.Count == 0 ? null : list;
    }

    private async Task<IReadOnlyList<UnitAttribute>?> CurrentAttributesAsync(string unitId, CancellationToken ct) =>
        (await CurrentAsync("units", "unit_id", unitId, ct)).Data?.Deserialize<UnitDefinedV1>(ServiceDefaults.Json)?.Attributes;

    public async Task<SaveOutcome> SaveIndicatorAsync(string indicatorId, IndicatorRequest request, CancellationToken ct)
    {
        var indicator = new IndicatorDefinedV1(indicatorId, request.Name!.Trim(), request.Domain!.Trim(), request.Measure!,
            request.Improvement!, request.Target, request.Chart ?? Vocabulary.DefaultChart(request.Measure!), request.UnitLabel,
            request.Multiplier, request.Phases is { Count: > 0 } phases ? phases.Distinct().Order(StringComparer.Ordinal).ToList() : null,
            request.ShiftLength, request.TrendLength) { Categories = request.Categories };
        return await SaveAsync($"indicator/{indicatorId}", indicator, "indicators", "indicator_id", indicatorId,
            indicator.Measure, ct);
    }

    /// <summary>Records an intervention log entry, or revises it; null when its unit or indicator is unknown (named).</summary>
    public async Task<(SaveOutcome? Outcome, string? Unknown)> SaveInterventionAsync(string interventionId,
        InterventionRequest request, CancellationToken ct)
    {
        if (await GetUnitAsync(request.UnitId!, ct) is null) return (null, "unitId");
        if (request.IndicatorId is not null && await GetIndicatorAsync(request.IndicatorId, ct) is null) return (null, "indicatorId");
        var entry = new InterventionRecordedV1(interventionId, request.UnitId!, request.IndicatorId, request.Month!,
            request.Kind ?? "change", request.Title!.Trim(), string.IsNullOrWhiteSpace(request.Description) ? null : request.Description.Trim(),
            string.IsNullOrWhiteSpace(request.RecordedBy) ? null : request.RecordedBy.Trim(),
            (request.StoryIds ?? []).OfType<string>().Distinct().Order(StringComparer.Ordinal).ToList());
        return (await SaveAsync($"intervention/{interventionId}", entry, "interventions", "intervention_id", interventionId, null, ct), null);
    }

    public Task<JsonElement?> GetInterventionAsync(string interventionId, CancellationToken ct) =>
        GetAsync("interventions", "intervention_id", interventionId, ct);

    /// <summary>A unit's intervention log (every unit's when null), by month.</summary>
    public async Task<List<InterventionRecordedV1>> ListInterventionsAsync(string? unitId, CancellationToken ct)
    {
        var entries = (await ListAsync("interventions", "intervention_id", ct))
            .Select(e => e.Deserialize<InterventionRecordedV1>(ServiceDefaults.Json)!)
            .Where(e => unitId is null || e.UnitId == unitId);
        return entries.OrderBy(e => e.UnitId, StringComparer.Ordinal).ThenBy(e => e.Month, StringComparer.Ordinal)
            .ThenBy(e => e.InterventionId, StringComparer.Ordinal).ToList();
    }

    public Task<JsonElement?> GetUnitAsync(string unitId, CancellationToken ct) => GetAsync("units", "unit_id", unitId, ct);
    public Task<JsonElement?> GetIndicatorAsync(string indicatorId, CancellationToken ct) => GetAsync("indicators", "indicator_id", indicatorId, ct);
    public Task<List<JsonElement>> ListUnitsAsync(CancellationToken ct) => ListAsync("units", "unit_id", ct);
    public Task<List<JsonElement>> ListIndicatorsAsync(CancellationToken ct) => ListAsync("indicators", "indicator_id", ct);

    private async Task<SaveOutcome> SaveAsync<T>(string streamId, T state, string table, string key,
        string id, string? measure, CancellationToken ct) where T : class
    {
        var json = JsonSerializer.Serialize(state, ServiceDefaults.Json);
        var (version, current) = await CurrentAsync(table, key, id, ct);
        if (current is not null && JsonElement.DeepEquals(current.Value, JsonDocument.Parse(json).RootElement))
            return SaveOutcome.Unchanged;

        await store.AppendAsync(new StreamAppend(streamId, ExpectedVersion.Exactly(version), [state]), metadata.Create(),
            async (connection, tx, token) =>
            {
                var columns = measure is null ? "" : ", measure";
                var values = measure is null ? "" : ", $4";
                var update = measure is null ? "" : ", measure = excluded.measure";
                await using var upsert = new NpgsqlCommand($"""
                    insert into {table} ({key}, data, version{columns}) values ($1, $2::jsonb, $3{values})
                    on conflict ({key}) do update set data = excluded.data, version = excluded.version, updated_at = now(){update}
                    """, connection, tx)
                {
                    Parameters = { new() { Value = id }, new() { Value = json }, new() { Value = version + 1 } }
                };
                if (measure is not null) upsert.Parameters.Add(new() { Value = measure });
                await upsert.ExecuteNonQueryAsync(token);
            }, ct);
        return version == 0 ? SaveOutcome.Created : SaveOutcome.Updated;
    }

    private async Task<(long Version, JsonElement? Data)> CurrentAsync(string table, string key, string id, CancellationToken ct)
    {
        await using var command = store.DataSource.CreateCommand($"select version, data::text from {table} where {key} = $1");
        command.Parameters.Add(new() { Value = id });
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct)) return (0, null);
        return (reader.GetInt64(0), JsonDocument.Parse(reader.GetString(1)).RootElement);
    }

    private async Task<JsonElement?> GetAsync(string table, string key, string id, CancellationToken ct) =>
        (await CurrentAsync(table, key, id, ct)).Data;

    private async Task<List<JsonElement>> ListAsync(string table, string key, CancellationToken ct)
    {
        await using var command = store.DataSource.CreateCommand($"select data::text from {table} order by {key}");
        await using var reader = await command.ExecuteReaderAsync(ct);
        var items = new List<JsonElement>();
        while (await reader.ReadAsync(ct)) items.Add(JsonDocument.Parse(reader.GetString(0)).RootElement);
        return items;
    }
}

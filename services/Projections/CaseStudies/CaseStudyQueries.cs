using System.Text.Json;
using Icp.Contracts.CaseStudies;
using Icp.Hosting;
using Npgsql;
using NpgsqlTypes;

namespace Icp.Projections.CaseStudies;

/// <summary>A published story or case study linked to a chart's (indicator, unit) in one month.</summary>
public sealed record ChartAnnotation(string Period, string RecordId, string Kind, string Title);

public sealed record LibraryQuery(string? Q = null, string? Kind = null, string? UnitId = null, string? IndicatorId = null,
    string? Theme = null, string? RiskType = null, string? Tag = null, string? From = null, string? To = null,
    int Limit = 50, int Offset = 0, string[]? VisibleUnits = null);

public sealed record LibraryItem(string RecordId, string Kind, string Title, string? Role, string? Month,
    IReadOnlyList<string> UnitIds, IReadOnlyList<string> IndicatorIds, IReadOnlyList<string> Periods,
    IReadOnlyList<string> Tags, IReadOnlyList<string> Themes, IReadOnlyList<string> RiskTypes,
    DateTimeOffset? PublishedAt, string? Snippet, double Rank);

public sealed record LibraryRecord(LibraryItem Item, CaseRecordNarrative Narrative);

/// <summary>
/// Reads the published case-study catalogue. Only rows that are published and whose narrative has been decrypted are
/// visible; a withdrawn record is invisible everywhere here. <c>visibleUnits</c> (null: every unit) hides records that
/// name a unit outside the caller's systems.
/// </summary>
public sealed class CaseStudyQueries(NpgsqlDataSource dataSource)
{
    private const string Visible = "status = 'published' and narrative is not null";

    private const string Columns = """
        record_id, kind, title, role, month, unit_ids, indicator_ids, periods, tags, themes, risk_types, published_at
        """;

    /// <summary>
    /// Annotations for one SPC chart: every published record linked to the indicator and the unit, once per linked
    /// month (the record's month when it names none), ordered by month then publication.
    /// </summary>
    public async Task<List<ChartAnnotation>> AnnotationsAsync(string indicatorId, string unitId, string[]? visibleUnits, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand($"""
            select p.period, r.record_id, r.kind, r.title
            from rm_case_records r
            cross join lateral unnest(case when cardinality(r.periods) = 0 then array[r.month] else r.periods end) as p (period)
            where r.{Visible} and $1 = any(r.indicator_ids) and $2 = any(r.unit_ids) and ($3::text[] is null or r.unit_ids <@ $3)
            order by p.period, r.published_at, r.record_id
            """);
        command.Parameters.Add(new() { Value = indicatorId });
        command.Parameters.Add(new() { Value = unitId });
        command.Parameters.Add(VisibleUnitsParameter(visibleUnits));
        var annotations = new List<ChartAnnotation>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            annotations.Add(new ChartAnnotation(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3)));
        return annotations;
    }

    public async Task<List<LibraryItem>> SearchAsync(LibraryQuery query, CancellationToken ct)
    {
        var q = string.IsNullOrWhiteSpace(query.Q) ? null : query.Q.Trim();
        await using var command = dataSource.CreateCommand($"""
            select {Columns},
                case when $1::text is null then null
                     else ts_headline('english', search_text, websearch_to_tsquery('english', $1),
                                      'MaxFragments=2, MaxWords=20, MinWords=6, StartSel=«, StopSel=»') end,
                case when $1::text is null then 0 else ts_rank(search, websearch_to_tsquery('english', $1)) end as rank
            from rm_case_records
            where {Visible}
              and ($1::text is null or search @@ websearch_to_tsquery('english', $1))
              and ($2::text is null or kind = $2)
              and ($3::text is null or $3 = any(unit_ids))
              and ($4::text is null or $4 = any(indicator_ids))
              and ($5::text is null or exists (select 1 from unnest(themes || tags) t where lower(t) = lower($5)))
              and ($6::text is null or $6 = any(risk_types))
              and ($7::text is null or exists (select 1 from unnest(tags) t where lower(t) = lower($7)))
              and ($8::text is null and $9::text is null or exists (
                    select 1 from unnest(array_append(periods, month)) p
                    where ($8::text is null or p >= $8) and ($9::text is null or p <= $9)))
              and ($12::text[] is null or unit_ids <@ $12)
            order by rank desc, month desc, record_id
            limit $10 offset $11
            """);
        foreach (var value in new[] { q, query.Kind, query.UnitId, query.IndicatorId, query.Theme, query.RiskType, query.Tag, query.From, query.To })
            command.Parameters.Add(new() { Value = (object?)value ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = Math.Clamp(query.Limit, 1, 500) });
        command.Parameters.Add(new() { Value = Math.Max(0, query.Offset) });
        command.Parameters.Add(VisibleUnitsParameter(query.VisibleUnits));
        var items = new List<LibraryItem>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            items.Add(ReadItem(reader, reader.IsDBNull(12) ? null : reader.GetString(12), reader.GetFloat(13)));
        return items;
    }

    public async Task<LibraryRecord?> GetAsync(string recordId, string[]? visibleUnits, CancellationToken ct) =>
        (await GetManyAsync([recordId], visibleUnits, ct)).FirstOrDefault();

    /// <summary>The published records among <paramref name="recordIds"/>, in the order asked for.</summary>
    public async Task<List<LibraryRecord>> GetManyAsync(IReadOnlyList<string> recordIds, string[]? visibleUnits, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand($"""
            select {Columns}, narrative::text from rm_case_records
            where {Visible} and record_id = any($1) and ($2::text[] is null or unit_ids <@ $2)
            """);
        command.Parameters.Add(new() { Value = recordIds.ToArray() });
        command.Parameters.Add(VisibleUnitsParameter(visibleUnits));
        var found = new Dictionary<string, LibraryRecord>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var item = ReadItem(reader, null, 0);
            found[item.RecordId] = new LibraryRecord(item,
                JsonSerializer.Deserialize<CaseRecordNarrative>(reader.GetString(12), ServiceDefaults.Json)!);
        }
        return recordIds.Where(found.ContainsKey).Distinct().Select(id => found[id]).ToList();
    }

    /// <summary>Published realist records, optionally only those linked to a unit or an indicator.</summary>
    public async Task<List<LibraryRecord>> RealistRecordsAsync(string? unitId, string? indicatorId, string[]? visibleUnits, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand($"""
            select record_id from rm_case_records
            where {Visible} and kind = 'realist' and ($1::text is null or $1 = any(unit_ids)) and ($2::text is null or $2 = any(indicator_ids))
            order by month, record_id
            """);
        command.Parameters.Add(new() { Value = (object?)unitId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = (object?)indicatorId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        var ids = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync(ct))
            while (await reader.ReadAsync(ct)) ids.Add(reader.GetString(0));
        return await GetManyAsync(ids, visibleUnits, ct);
    }

    private static NpgsqlParameter VisibleUnitsParameter(string[]? visibleUnits) =>
        new() { Value = (object?)visibleUnits ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text };

    private static LibraryItem ReadItem(NpgsqlDataReader reader, string? snippet, double rank) =>
        new(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3),
            reader.IsDBNull(4) ? null : reader.GetString(4), reader.GetFieldValue<string[]>(5), reader.GetFieldValue<string[]>(6),
            reader.GetFieldValue<string[]>(7), reader.GetFieldValue<string[]>(8), reader.GetFieldValue<string[]>(9),
            reader.GetFieldValue<string[]>(10), reader.IsDBNull(11) ? null : reader.GetFieldValue<DateTimeOffset>(11), snippet, rank);
}

using System.Text.Json;
using Icp.Contracts.Indicators;
using Icp.EventStore;
using Icp.Hosting.Intake;
using Icp.Hosting;
using Icp.Indicators.Domain;

namespace Icp.Indicators;

public sealed record SubmissionStatus(string SubmissionId, string Source, string Status, int Rows, int Revisions, string? Principal,
    DateTimeOffset AcceptedAt);

public sealed record ValueRevision(int Revision, long StreamVersion, double? Value, double? Numerator, double? Denominator,
    string Source, string SubmissionId, string? Principal, DateTimeOffset RecordedAt);

public sealed record ValueHistory(string IndicatorId, string UnitId, string Period, ValueRevision Current, IReadOnlyList<ValueRevision> Revisions);

public sealed record CurrentValue(string Period, double? Value, double? Numerator, double? Denominator, string Source, string SubmissionId,
    DateTimeOffset RecordedAt);

public sealed record SeriesGrant(string IndicatorId, string UnitId, string Source, string GrantedBy, DateTimeOffset GrantedAt);

public sealed record CompletenessReport(DateOnly AsOf, int DueDay, string? LastDuePeriod, IReadOnlyList<CompletenessEntry> Combinations);

/// <summary>Read side of feeds: submission status, the values as they stand, every revision of one value, completeness.</summary>
public sealed class FeedQueries(EventLog store, TimeProvider clock, IConfiguration configuration)
{
    public int DueDay => Math.Clamp(configuration.GetValue("Feeds:DueDayOfMonth", 15), 1, 28);

    /// <summary>
    /// The submissions under this id (one per source that used it), or only the named source's, each with the units it
    /// wrote to (null when accepted before they were kept).
    /// </summary>
    public Task<List<(SubmissionStatus Status, string[]? UnitIds)>> GetSubmissionsAsync(string submissionId,
        string? source, CancellationToken ct) =>
        ReadSubmissionsAsync("submission_id = $2 and ($3::text is null or source = $3)", [submissionId, source], null,
            source is null ? 100 : 1, ct);

    public async Task<SeriesGrant> GrantAsync(string indicatorId, string unitId, string source, string grantedBy, CancellationToken ct)
    {
        await using var command = store.DataSource.CreateCommand("""
            insert into series_grants (indicator_id, unit_id, source, granted_by) values ($1, $2, $3, $4)
            on conflict (indicator_id, unit_id, source) do update set indicator_id = excluded.indicator_id
            returning indicator_id, unit_id, source, granted_by, granted_at
            """);
        foreach (var value in new[] { indicatorId, unitId, source, grantedBy }) command.Parameters.Add(new() { Value = value });
        return (await ReadGrantsAsync(command, ct))[0];
    }

    public async Task RevokeGrantAsync(string indicatorId, string unitId, string source, CancellationToken ct)
    {
        await using var command = store.DataSource.CreateCommand(
            "delete from series_grants where indicator_id = $1 and unit_id = $2 and source = $3");
        foreach (var value in new[] { indicatorId, unitId, source }) command.Parameters.Add(new() { Value = value });
        await command.ExecuteNonQueryAsync(ct);
    }

    public async Task<List<SeriesGrant>> ListGrantsAsync(CancellationToken ct)
    {
        await using var command = store.DataSource.CreateCommand(
            "select indicator_id, unit_id, source, granted_by, granted_at from series_grants order by 1, 2, 3");
        return await ReadGrantsAsync(command, ct);
    }

    private static async Task<List<SeriesGrant>> ReadGrantsAsync(Npgsql.NpgsqlCommand command, CancellationToken ct)
    {
        var grants = new List<SeriesGrant>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            grants.Add(new(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                reader.GetFieldValue<DateTimeOffset>(4)));
        return grants;
    }

    /// <summary>
    /// The newest submissions (of one source when named); with <paramref name="visibleUnits"/>, only those that wrote
    /// to none but these units (one accepted before its units were kept, to callers who see every unit only).
    /// </summary>
    public async Task<List<SubmissionStatus>> ListSubmissionsAsync(string? source, string[]? visibleUnits, int limit,
        CancellationToken ct) =>
        (await ReadSubmissionsAsync("($2::text is null or source = $2)", [source], visibleUnits, limit, ct))
            .Select(s => s.Status).ToList();

    private async Task<List<(SubmissionStatus Status, string[]? UnitIds)>> ReadSubmissionsAsync(string where,
        string?[] args, string[]? visibleUnits, int limit, CancellationToken ct)
    {
        await using var command = store.DataSource.CreateCommand($"""
            select submission_id, source, rows, revisions, principal, accepted_at, unit_ids from submissions
            where ($1::text[] is null or unit_ids <@ $1) and {where}
            order by accepted_at desc, submission_id limit {limit}
            """);
        command.Parameters.Add(new()
        {
            Value = (object?)visibleUnits ?? DBNull.Value,
            NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Text,
        });
        foreach (var arg in args)
            command.Parameters.Add(new()
            {
                Value = (object?)arg ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text,
            });
        var list = new List<(SubmissionStatus, string[]?)>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            list.Add((new SubmissionStatus(reader.GetString(0), reader.GetString(1), "accepted", reader.GetInt32(2),
                    reader.GetInt32(3), reader.IsDBNull(4) ? null : reader.GetString(4),
                    reader.GetFieldValue<DateTimeOffset>(5)),
                reader.IsDBNull(6) ? null : reader.GetFieldValue<string[]>(6)));
        return list;
    }

    /// <summary>Every revision of one monthly value, oldest first, from the series' event stream; null when never sent.</summary>
    public async Task<ValueHistory?> GetHistoryAsync(string indicatorId, string unitId, string period, CancellationToken ct)
    {
        var revisions = new List<ValueRevision>();
        foreach (var e in await store.ReadStreamAsync(FeedService.SeriesStream(indicatorId, unitId), ct))
        {
            if (e.Data is not IndicatorValuesRevisedV2 revised) continue;
            var month = revised.Months.FirstOrDefault(m => m.Period == period);
            if (month is null) continue;
            revisions.Add(new ValueRevision(revisions.Count + 1, e.Version, month.Value, month.Numerator, month.Denominator,
                revised.Source, revised.SubmissionId, EventLog.MetadataOf(e).Principal, e.Timestamp));
        }
        return revisions.Count == 0 ? null : new ValueHistory(indicatorId, unitId, period, revisions[^1], revisions);
    }

    /// <summary>The newest revision of each month of one series, in month order.</summary>
    public async Task<List<CurrentValue>> GetSeriesAsync(string indicatorId, string unitId, CancellationToken ct)
    {
        var series = await SeriesValues.ReadAsync(store.DataSource, [(indicatorId, unitId)], ct);
        return series.TryGetValue((indicatorId, unitId), out var state)
            ? state.InPeriodOrder().Select(m => new CurrentValue(m.Key, m.Value.Value, m.Value.Numerator, m.Value.Denominator, m.Value.Source,
                m.Value.SubmissionId, m.Value.RecordedAt)).ToList()
            : [];
    }

    public async Task<CompletenessReport> GetCompletenessAsync(string? source, DateOnly? asOf, CancellationToken ct)
    {
        var day = asOf ?? DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        await using var command = store.DataSource.CreateCommand($"""
            select source, unit_id, indicator_id, periods from source_series
            {(source is null ? "" : "where source = $1")}
            order by source, unit_id, indicator_id
            """);
        if (source is not null) command.Parameters.Add(new() { Value = source });
        var entries = new List<CompletenessEntry>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            entries.Add(Completeness.Assess(reader.GetString(0), reader.GetString(1), reader.GetString(2),
                reader.GetFieldValue<string[]>(3), day, DueDay));
        var lastDue = Months.Format(Completeness.LastDueMonth(day, DueDay));
        return new CompletenessReport(day, DueDay, lastDue, entries);
    }
}

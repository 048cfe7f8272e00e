using Npgsql;
using NpgsqlTypes;

namespace Icp.Projections.Spc;

/// <summary>One month of one series as one event revised it (V1 events carry one month each, V2 a submission's).</summary>
public sealed record Revision(string SeriesId, string UnitId, string Period, double? Value, double? Numerator,
    double? Denominator, string Source, string SubmissionId, long Version, DateTimeOffset RecordedAt);

/// <summary>
/// The values of every series, kept as one row per series (its months as parallel arrays, in period order) and one
/// row per revising event (the months it changed), so that a 50,000-row feed rewrites 500 rows of each instead of
/// inserting 100,000. The views <c>rm_values</c> (one row per month, the newest revision) and
/// <c>rm_value_revisions</c> (one row per month and revision) read them as months, for the queries.
/// </summary>
public static class SeriesValueTables
{
    public static readonly string[] Tables = ["rm_series_values", "rm_series_revisions"];

    // A store written before the tables held arrays (one row per month) is converted once, in place.
    public const string Ddl = """
        create table if not exists rm_series_values (
            indicator_id    text collate "C" not null,
            unit_id         text collate "C" not null,
            periods         text[] not null,
            point_values    double precision[] not null,
            numerators      double precision[] not null,
            denominators    double precision[] not null,
            sources         text[] not null,
            submission_ids  text[] not null,
            source_versions bigint[] not null,
            recorded_ats    timestamptz[] not null,
            primary key (indicator_id, unit_id)
        );
        create table if not exists rm_series_revisions (
            indicator_id   text collate "C" not null,
            unit_id        text collate "C" not null,
            source_version bigint not null,
            recorded_at    timestamptz not null,
            periods        text[] not null,
            point_values   double precision[] not null,
            numerators     double precision[] not null,
            denominators   double precision[] not null,
            primary key (indicator_id, unit_id, source_version)
        );
        do $$
        begin
            if exists (select 1 from pg_class where oid = to_regclass('rm_values') and relkind = 'r') then
                insert into rm_series_values
                select indicator_id, unit_id, array_agg(period order by period), array_agg(value order by period),
                    array_agg(numerator order by period), array_agg(denominator order by period),
                    array_agg(source order by period), array_agg(submission_id order by period),
                    array_agg(source_version order by period), array_agg(coalesce(recorded_at, now()) order by period)
                from rm_values group by indicator_id, unit_id;
                drop table rm_values;
            end if;
            if exists (select 1 from pg_class where oid = to_regclass('rm_value_revisions') and relkind = 'r') then
                insert into rm_series_revisions
                select indicator_id, unit_id, source_version, min(recorded_at), array_agg(period order by period),
                    array_agg(value order by period), array_agg(numerator order by period),
                    array_agg(denominator order by period)
                from rm_value_revisions group by indicator_id, unit_id, source_version;
                drop table rm_value_revisions;
            end if;
        end $$;
        create or replace view rm_values as
        select s.indicator_id, s.unit_id, m.period, m.value, m.numerator, m.denominator, m.source, m.submission_id,
            m.source_version, m.recorded_at
        from rm_series_values s cross join lateral unnest(s.periods, s.point_values, s.numerators, s.denominators,
            s.sources, s.submission_ids, s.source_versions, s.recorded_ats)
            as m(period, value, numerator, denominator, source, submission_id, source_version, recorded_at);
        -- Every revision with the time its origin recorded it, for charts "as of" a past instant.
        create or replace view rm_value_revisions as
        select r.indicator_id, r.unit_id, m.period, r.source_version, m.value, m.numerator, m.denominator, r.recorded_at
        from rm_series_revisions r cross join lateral unnest(r.periods, r.point_values, r.numerators, r.denominators)
            as m(period, value, numerator, denominator);
        """;

    /// <summary>
    /// Keeps the revisions: each month of a series takes a revision only if it is newer (by origin version) than the
    /// one it holds, and each revising event is kept once, so applying events again or out of order changes nothing.
    /// Returns the months of every series named in <paramref name="revisions"/>, as they now stand.
    /// </summary>
    public static async Task<Dictionary<(string SeriesId, string UnitId), List<MonthlyValue>>> ApplyAsync(
        NpgsqlConnection connection, NpgsqlTransaction tx, IReadOnlyList<Revision> revisions, CancellationToken ct)
    {
        var keys = revisions.Select(r => (r.SeriesId, r.UnitId)).Distinct().ToArray();
        var series = await ReadAsync(connection, tx, keys, ct);
        var changed = new HashSet<(string, string)>();
        foreach (var r in revisions)
        {
            var months = series[(r.SeriesId, r.UnitId)];
            if (months.TryGetValue(r.Period, out var held) && held.Version >= r.Version) continue;
            months[r.Period] = r;
            changed.Add((r.SeriesId, r.UnitId));
        }
        var events = revisions.GroupBy(r => (r.SeriesId, r.UnitId, r.Version)).ToList();
        var kept = await KeptRevisionsAsync(connection, tx, events.Select(e => e.Key).ToList(), ct);
        await WriteSeriesAsync(connection, tx, series.Where(s => changed.Contains(s.Key)).ToList(), ct);
        await WriteRevisionsAsync(connection, tx, events.Where(e => !kept.Contains(e.Key)).ToList(), ct);
        return series.ToDictionary(s => s.Key,
            s => s.Value.Values.Select(m => new MonthlyValue(m.Period, m.Value, m.Numerator, m.Denominator)).ToList());
    }

    private static async Task<Dictionary<(string, string), SortedDictionary<string, Revision>>> ReadAsync(
        NpgsqlConnection connection, NpgsqlTransaction tx, (string SeriesId, string UnitId)[] keys, CancellationToken ct)
    {
        var series = keys.ToDictionary(k => k, _ => new SortedDictionary<string, Revision>(StringComparer.Ordinal));
        await using var command = new NpgsqlCommand("""
            select indicator_id, unit_id, periods, point_values, numerators, denominators, sources, submission_ids,
                source_versions, recorded_ats
            from rm_series_values where (indicator_id, unit_id) in (select * from unnest($1::text[], $2::text[]))
            """, connection, tx)
        {
            Parameters = { new() { Value = keys.Select(k => k.SeriesId).ToArray() }, new() { Value = keys.Select(k => k.UnitId).ToArray() } },
        };
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var (seriesId, unitId) = (reader.GetString(0), reader.GetString(1));
            var periods = reader.GetFieldValue<string[]>(2);
            var values = reader.GetFieldValue<double?[]>(3);
            var numerators = reader.GetFieldValue<double?[]>(4);
            var denominators = reader.GetFieldValue<double?[]>(5);
            var sources = reader.GetFieldValue<string[]>(6);
            var submissions = reader.GetFieldValue<string[]>(7);
            var versions = reader.GetFieldValue<long[]>(8);
            var recordedAt = reader.GetFieldValue<DateTime[]>(9);
            var months = series[(seriesId, unitId)];
            for (var i = 0; i < periods.Length; i++)
                months[periods[i]] = new Revision(seriesId, unitId, periods[i], values[i], numerators[i], denominators[i],
                    sources[i], submissions[i], versions[i], new DateTimeOffset(recordedAt[i], TimeSpan.Zero));
        }
        return series;
    }

    private static async Task<HashSet<(string, string, long)>> KeptRevisionsAsync(NpgsqlConnection connection,
        NpgsqlTransaction tx, List<(string SeriesId, string UnitId, long Version)> events, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("""
            select indicator_id, unit_id, source_version from rm_series_revisions
            where (indicator_id, unit_id, source_version) in (select * from unnest($1::text[], $2::text[], $3::bigint[]))
            """, connection, tx)
        {
            Parameters =
            {
                new() { Value = events.Select(e => e.SeriesId).ToArray() },
                new() { Value = events.Select(e => e.UnitId).ToArray() },
                new() { Value = events.Select(e => e.Version).ToArray() },
            },
        };
        var kept = new HashSet<(string, string, long)>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) kept.Add((reader.GetString(0), reader.GetString(1), reader.GetInt64(2)));
        return kept;
    }

    private static async Task WriteSeriesAsync(NpgsqlConnection connection, NpgsqlTransaction tx,
        List<KeyValuePair<(string SeriesId, string UnitId), SortedDictionary<string, Revision>>> series, CancellationToken ct)
    {
        if (series.Count == 0) return;
        await using (var delete = new NpgsqlCommand(
            "delete from rm_series_values where (indicator_id, unit_id) in (select * from unnest($1::text[], $2::text[]))",
            connection, tx)
        {
            Parameters =
            {
                new() { Value = series.Select(s => s.Key.SeriesId).ToArray() },
                new() { Value = series.Select(s => s.Key.UnitId).ToArray() },
            },
        })
            await delete.ExecuteNonQueryAsync(ct);
        await using var copy = await connection.BeginBinaryImportAsync("""
            copy rm_series_values (indicator_id, unit_id, periods, point_values, numerators, denominators, sources,
                submission_ids, source_versions, recorded_ats) from stdin (format binary)
            """, ct);
        foreach (var ((seriesId, unitId), months) in series)
        {
            var m = months.Values;
            await copy.StartRowAsync(ct);
            await copy.WriteAsync(seriesId, NpgsqlDbType.Text, ct);
            await copy.WriteAsync(unitId, NpgsqlDbType.Text, ct);
            await copy.WriteAsync(m.Select(r => r.Period).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text, ct);
            await copy.WriteAsync(m.Select(r => r.Value).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Double, ct);
            await copy.WriteAsync(m.Select(r => r.Numerator).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Double, ct);
            await copy.WriteAsync(m.Select(r => r.Denominator).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Double, ct);
            await copy.WriteAsync(m.Select(r => r.Source).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text, ct);
            await copy.WriteAsync(m.Select(r => r.SubmissionId).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text, ct);
            await copy.WriteAsync(m.Select(r => r.Version).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Bigint, ct);
            await copy.WriteAsync(m.Select(r => r.RecordedAt.UtcDateTime).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.TimestampTz, ct);
        }
        await copy.CompleteAsync(ct);
    }

    private static async Task WriteRevisionsAsync(NpgsqlConnection connection, NpgsqlTransaction tx,
        List<IGrouping<(string SeriesId, string UnitId, long Version), Revision>> events, CancellationToken ct)
    {
        if (events.Count == 0) return;
        await using var copy = await connection.BeginBinaryImportAsync("""
            copy rm_series_revisions (indicator_id, unit_id, source_version, recorded_at, periods, point_values,
                numerators, denominators) from stdin (format binary)
            """, ct);
        foreach (var e in events)
        {
            // One event revises a month once; should a body name a month twice, the first naming stands, as in the series
            // (a revision replaces a month only when its version is higher).
            var months = e.GroupBy(r => r.Period).Select(g => g.First()).OrderBy(r => r.Period, StringComparer.Ordinal)
                .ToArray();
            await copy.StartRowAsync(ct);
            await copy.WriteAsync(e.Key.SeriesId, NpgsqlDbType.Text, ct);
            await copy.WriteAsync(e.Key.UnitId, NpgsqlDbType.Text, ct);
            await copy.WriteAsync(e.Key.Version, NpgsqlDbType.Bigint, ct);
            await copy.WriteAsync(months.Min(r => r.RecordedAt).UtcDateTime, NpgsqlDbType.TimestampTz, ct);
            await copy.WriteAsync(months.Select(r => r.Period).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text, ct);
            await copy.WriteAsync(months.Select(r => r.Value).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Double, ct);
            await copy.WriteAsync(months.Select(r => r.Numerator).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Double, ct);
            await copy.WriteAsync(months.Select(r => r.Denominator).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Double, ct);
        }
        await copy.CompleteAsync(ct);
    }
}

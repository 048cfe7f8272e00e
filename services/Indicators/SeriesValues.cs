using Npgsql;
using NpgsqlTypes;

namespace Icp.Indicators;

/// <summary>The newest revision of one month of a series.</summary>
public sealed record MonthValue(double? Value, double? Numerator, double? Denominator, long Revision, string Source,
    string SubmissionId, DateTimeOffset RecordedAt);

/// <summary>One series' months (keyed by period) as they stand, and the version of its event stream that they reflect.</summary>
public sealed record SeriesState(long Version, Dictionary<string, MonthValue> Months)
{
    public static SeriesState Empty() => new(0, new(StringComparer.Ordinal));

    public IEnumerable<KeyValuePair<string, MonthValue>> InPeriodOrder() => Months.OrderBy(m => m.Key, StringComparer.Ordinal);
}

/// <summary>
/// The inline table of current values: one row per series with its months as parallel arrays, so that a 50,000-row
/// feed rewrites a few hundred rows here instead of upserting 50,000 (measured in docs/benchmarks.md). A row changes
/// only in the transaction that appends to its series stream at the version read with it, which keeps the
/// read-merge-write safe.
/// </summary>
public static class SeriesValues
{
    public const string Ddl = """
        create table if not exists series_values (
            indicator_id   text not null,
            unit_id        text not null,
            version        bigint not null,
            periods        text[] not null,
            amounts        float8[] not null,
            numerators     float8[] not null,
            denominators   float8[] not null,
            revisions      bigint[] not null,
            sources        text[] not null,
            submission_ids text[] not null,
            recorded_at    timestamptz[] not null,
            primary key (indicator_id, unit_id)
        );
        -- The arrays are stored out of line; lz4 compresses them about three times faster than the default pglz.
        do $$
        begin
            alter table series_values alter column periods set compression lz4, alter column amounts set compression lz4,
                alter column numerators set compression lz4, alter column denominators set compression lz4,
                alter column revisions set compression lz4, alter column sources set compression lz4,
                alter column submission_ids set compression lz4, alter column recorded_at set compression lz4;
        exception when feature_not_supported then null; -- a server built without lz4 keeps pglz
        end $$;
        -- Before series_values, current values were kept one row per month.
        do $$
        begin
            if to_regclass('current_values') is not null then
                insert into series_values
                select indicator_id, unit_id, max(revision), array_agg(period order by period), array_agg(value order by period),
                       array_agg(numerator order by period), array_agg(denominator order by period), array_agg(revision order by period),
                       array_agg(source order by period), array_agg(submission_id order by period), array_agg(recorded_at order by period)
                from current_values group by indicator_id, unit_id
                on conflict do nothing;
                drop table current_values;
            end if;
        end $$;
        """;

    private const string Columns =
        "indicator_id, unit_id, version, periods, amounts, numerators, denominators, revisions, sources, submission_ids, recorded_at";

    public static async Task<Dictionary<(string IndicatorId, string UnitId), SeriesState>> ReadAsync(NpgsqlDataSource dataSource,
        IReadOnlyCollection<(string IndicatorId, string UnitId)> keys, CancellationToken ct)
    {
        var series = new Dictionary<(string, string), SeriesState>();
        if (keys.Count == 0) return series;
        await using var command = dataSource.CreateCommand($"""
            select {Columns} from series_values
            where (indicator_id, unit_id) in (select * from unnest($1::text[], $2::text[]))
            """);
        command.Parameters.Add(new() { Value = keys.Select(k => k.IndicatorId).ToArray() });
        command.Parameters.Add(new() { Value = keys.Select(k => k.UnitId).ToArray() });
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var periods = reader.GetFieldValue<string[]>(3);
            var amounts = reader.GetFieldValue<double?[]>(4);
            var numerators = reader.GetFieldValue<double?[]>(5);
            var denominators = reader.GetFieldValue<double?[]>(6);
            var revisions = reader.GetFieldValue<long[]>(7);
            var sources = reader.GetFieldValue<string[]>(8);
            var submissions = reader.GetFieldValue<string[]>(9);
            var recordedAt = reader.GetFieldValue<DateTime[]>(10);
            var months = new Dictionary<string, MonthValue>(periods.Length, StringComparer.Ordinal);
            for (var i = 0; i < periods.Length; i++)
                months[periods[i]] = new MonthValue(amounts[i], numerators[i], denominators[i], revisions[i], sources[i], submissions[i],
                    new DateTimeOffset(recordedAt[i], TimeSpan.Zero));
            series[(reader.GetString(0), reader.GetString(1))] = new SeriesState(reader.GetInt64(2), months);
        }
        return series;
    }

    /// <summary>Replaces the rows of the given series inside the caller's transaction.</summary>
    public static async Task ReplaceAsync(NpgsqlConnection connection, NpgsqlTransaction tx,
        IReadOnlyDictionary<(string IndicatorId, string UnitId), SeriesState> series, CancellationToken ct)
    {
        if (series.Count == 0) return;
        await using (var delete = new NpgsqlCommand("""
            delete from series_values where (indicator_id, unit_id) in (select * from unnest($1::text[], $2::text[]))
            """, connection, tx))
        {
            delete.Parameters.Add(new() { Value = series.Keys.Select(k => k.IndicatorId).ToArray() });
            delete.Parameters.Add(new() { Value = series.Keys.Select(k => k.UnitId).ToArray() });
            await delete.ExecuteNonQueryAsync(ct);
        }

        await using var importer = await connection.BeginBinaryImportAsync($"copy series_values ({Columns}) from stdin (format binary)", ct);
        foreach (var ((indicatorId, unitId), state) in series)
        {
            var ordered = state.InPeriodOrder().ToArray();
            var months = ordered.Select(m => m.Value).ToArray();
            await importer.StartRowAsync(ct);
            await importer.WriteAsync(indicatorId, NpgsqlDbType.Text, ct);
            await importer.WriteAsync(unitId, NpgsqlDbType.Text, ct);
            await importer.WriteAsync(state.Version, NpgsqlDbType.Bigint, ct);
            await importer.WriteAsync(ordered.Select(m => m.Key).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text, ct);
            await importer.WriteAsync(months.Select(m => m.Value).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Double, ct);
            await importer.WriteAsync(months.Select(m => m.Numerator).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Double, ct);
            await importer.WriteAsync(months.Select(m => m.Denominator).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Double, ct);
            await importer.WriteAsync(months.Select(m => m.Revision).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Bigint, ct);
            await importer.WriteAsync(months.Select(m => m.Source).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text, ct);
            await importer.WriteAsync(months.Select(m => m.SubmissionId).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text, ct);
            await importer.WriteAsync(months.Select(m => m.RecordedAt.UtcDateTime).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.TimestampTz, ct);
        }
        await importer.CompleteAsync(ct);
    }
}

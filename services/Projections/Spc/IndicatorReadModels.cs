using Icp.Contracts.Indicators;
using Icp.EventStore;
using Icp.Hosting;
using Icp.Hosting.Messaging;
using Npgsql;
using Icp.Projections.Dashboard;

namespace Icp.Projections.Spc;

/// <summary>
/// Units, indicators and the newest revision of every monthly value, keyed by series (an indicator, or one type of an
/// indicator with categories). Every row keeps the origin stream version it came from and is only replaced by a
/// higher one, so duplicates and any arrival order give the same tables.
/// </summary>
public sealed class IndicatorReadModels() : SqlSchema(Ddl + SeriesValueTables.Ddl + DashboardCells.Ddl), IReadModelProjection
{
    public string Name => "indicators";

    public IReadOnlyList<string> Tables { get; } =
        ["rm_units", "rm_indicators", "rm_interventions", .. SeriesValueTables.Tables, DashboardCells.Table];

    private const string Ddl = """
        create table if not exists rm_units (
            unit_id        text primary key,
            data           jsonb not null,
            source_version bigint not null
        );
        create table if not exists rm_interventions (
            intervention_id text primary key,
            data           jsonb not null,
            source_version bigint not null
        );
        create table if not exists rm_indicators (
            indicator_id   text primary key,
            data           jsonb not null,
            source_version bigint not null
        );
        """;

    public async Task ApplyAsync(NpgsqlConnection connection, NpgsqlTransaction tx, IReadOnlyList<RecordedEvent> events, CancellationToken ct)
    {
        await using var batch = new NpgsqlBatch(connection, tx);
        var values = new List<Revision>();
        var redefined = new HashSet<string>(StringComparer.Ordinal);
        foreach (var e in events)
        {
            var version = e.Metadata.SourceStreamVersion ?? e.StreamVersion;
            var recordedAt = e.Metadata.SourceRecordedAt ?? e.RecordedAt;
            switch (e.EventType)
            {
                case nameof(UnitDefinedV1):
                    batch.BatchCommands.Add(Upsert("rm_units", "unit_id", IntegrationEvents.Deserialize<UnitDefinedV1>(e).UnitId, e.Data, version));
                    break;
                case nameof(IndicatorDefinedV1):
                    var indicatorId = IntegrationEvents.Deserialize<IndicatorDefinedV1>(e).IndicatorId;
                    batch.BatchCommands.Add(Upsert("rm_indicators", "indicator_id", indicatorId, e.Data, version));
                    redefined.Add(indicatorId);
                    break;
                case nameof(InterventionRecordedV1):
                    batch.BatchCommands.Add(Upsert("rm_interventions", "intervention_id",
                        IntegrationEvents.Deserialize<InterventionRecordedV1>(e).InterventionId, e.Data, version));
                    break;
                case nameof(IndicatorValuesRevisedV2):
                    var revised = IntegrationEvents.Deserialize<IndicatorValuesRevisedV2>(e);
                    values.AddRange(revised.Months.Select(m => new Revision(revised.SeriesId, revised.UnitId, m.Period, m.Value, m.Numerator,
                        m.Denominator, revised.Source, revised.SubmissionId, version, recordedAt)));
                    break;
                case nameof(IndicatorValueRevisedV1):
                    var v = IntegrationEvents.Deserialize<IndicatorValueRevisedV1>(e);
                    values.Add(new Revision(v.SeriesId, v.UnitId, v.Period, v.Value, v.Numerator, v.Denominator, v.Source, v.SubmissionId,
                        version, recordedAt));
                    break;
            }
        }
        if (batch.BatchCommands.Count > 0) await batch.ExecuteNonQueryAsync(ct);
        var series = values.Count > 0 ? await SeriesValueTables.ApplyAsync(connection, tx, values, ct) : [];
        await DashboardCells.RefreshAsync(connection, tx, series, redefined, ct);
    }

    private static NpgsqlBatchCommand Upsert(string table, string key, string id, string data, long version) =>
        new($"""
            insert into {table} ({key}, data, source_version) values ($1, $2::jsonb, $3)
            on conflict ({key}) do update set data = excluded.data, source_version = excluded.source_version
            where {table}.source_version < excluded.source_version
            """)
        {
            Parameters = { new() { Value = id }, new() { Value = data }, new() { Value = version } }
        };
}

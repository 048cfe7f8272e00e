using System.Text.Json;
using Icp.Contracts.CaseStudies;
using Icp.EventStore;
using Icp.Hosting;
using Icp.Hosting.Messaging;
using Npgsql;
using NpgsqlTypes;

namespace Icp.Projections.CaseStudies;

/// <summary>
/// The case-study catalogue. Events bring only clear fields and the encrypted narrative; the narrative is decrypted
/// later by <see cref="CaseStudyNarrativeHydrator"/>, for published records only. A withdrawal clears every narrative
/// column of the row in the same transaction that records it, and no later event or rebuild can bring it back (the key
/// is gone at the source). Rows keep the origin stream versions they reflect, so duplicates and any arrival order
/// give the same table: content follows the highest draft version, status the highest status version, and a
/// withdrawal is final.
/// </summary>
public sealed class CaseStudyReadModels() : SqlSchema(Ddl), IReadModelProjection
{
    public string Name => "case-studies";

    public IReadOnlyList<string> Tables { get; } = ["rm_case_records"];

    private const string Ddl = """
        create table if not exists rm_case_records (
            record_id         text primary key,
            kind              text not null,
            role              text,
            month             text,
            unit_ids          text[] not null default '{}',
            indicator_ids     text[] not null default '{}',
            periods           text[] not null default '{}',
            status            text not null default 'draft',
            status_version    bigint not null default 0,
            content_version   bigint not null default 0,
            ciphertext        jsonb,
            narrative         jsonb,
            narrative_version bigint,
            title             text,
            tags              text[] not null default '{}',
            themes            text[] not null default '{}',
            risk_types        text[] not null default '{}',
            search_text       text,
            search            tsvector generated always as
                              (to_tsvector('english', coalesce(title, '') || ' ' || coalesce(search_text, ''))) stored,
            published_at      timestamptz,
            withdrawn_at      timestamptz
        );
        create index if not exists rm_case_records_search on rm_case_records using gin (search);
        create index if not exists rm_case_records_units on rm_case_records using gin (unit_ids);
        create index if not exists rm_case_records_indicators on rm_case_records using gin (indicator_ids);
        """;

    public async Task ApplyAsync(NpgsqlConnection connection, NpgsqlTransaction tx, IReadOnlyList<RecordedEvent> events, CancellationToken ct)
    {
        await using var batch = new NpgsqlBatch(connection, tx);
        foreach (var e in events)
        {
            var version = e.Metadata.SourceStreamVersion ?? e.StreamVersion;
            switch (e.EventType)
            {
                case nameof(CaseRecordDraftedV1):
                    batch.BatchCommands.Add(Drafted(IntegrationEvents.Deserialize<CaseRecordDraftedV1>(e), version));
                    break;
                case nameof(CaseRecordSentForValidationV1):
                    var sent = IntegrationEvents.Deserialize<CaseRecordSentForValidationV1>(e);
                    batch.BatchCommands.Add(Status(sent.RecordId, sent.Kind, "sent_for_validation", version, null));
                    break;
                case nameof(CaseRecordValidatedV1):
                    var validated = IntegrationEvents.Deserialize<CaseRecordValidatedV1>(e);
                    batch.BatchCommands.Add(Status(validated.RecordId, validated.Kind, "validated", version, null));
                    break;
                case nameof(CaseRecordPublishedV1):
                    var published = IntegrationEvents.Deserialize<CaseRecordPublishedV1>(e);
                    batch.BatchCommands.Add(Status(published.RecordId, published.Kind, "published", version, published.PublishedAt));
                    break;
                case nameof(CaseRecordConsentWithdrawnV1):
                    batch.BatchCommands.Add(Withdrawn(IntegrationEvents.Deserialize<CaseRecordConsentWithdrawnV1>(e), version));
                    break;
            }
        }
        if (batch.BatchCommands.Count > 0) await batch.ExecuteNonQueryAsync(ct);
    }

    private static NpgsqlBatchCommand Drafted(CaseRecordDraftedV1 d, long version) =>
        new("""
            insert into rm_case_records (record_id, kind, role, month, unit_ids, indicator_ids, periods, content_version, ciphertext)
            values ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb)
            on conflict (record_id) do update set
                role = excluded.role, month = excluded.month, content_version = excluded.content_version,
                unit_ids = case when rm_case_records.status = 'withdrawn' then '{}' else excluded.unit_ids end,
                indicator_ids = case when rm_case_records.status = 'withdrawn' then '{}' else excluded.indicator_ids end,
                periods = case when rm_case_records.status = 'withdrawn' then '{}' else excluded.periods end,
                ciphertext = case when rm_case_records.status = 'withdrawn' then null else excluded.ciphertext end,
                narrative = null, narrative_version = null, title = null, tags = '{}', themes = '{}', risk_types = '{}', search_text = null
            where rm_case_records.content_version < excluded.content_version
            """)
        {
            Parameters =
            {
                new() { Value = d.RecordId }, new() { Value = d.Kind }, new() { Value = (object?)d.Role ?? DBNull.Value },
                new() { Value = d.Month }, new() { Value = d.UnitIds.ToArray() }, new() { Value = d.IndicatorIds.ToArray() },
                new() { Value = d.Periods.ToArray() }, new() { Value = version },
                new() { Value = JsonSerializer.Serialize(d.Narrative, ServiceDefaults.Json) },
            }
        };

    private static NpgsqlBatchCommand Status(string recordId, string kind, string status, long version, DateTimeOffset? publishedAt) =>
        new("""
            insert into rm_case_records (record_id, kind, status, status_version, published_at) values ($1, $2, $3, $4, $5)
            on conflict (record_id) do update set status = excluded.status, status_version = excluded.status_version,
                published_at = coalesce(excluded.published_at, rm_case_records.published_at)
            where rm_case_records.status_version < excluded.status_version and rm_case_records.status <> 'withdrawn'
            """)
        {
            Parameters =
            {
                new() { Value = recordId }, new() { Value = kind }, new() { Value = status }, new() { Value = version },
                new() { Value = (object?)publishedAt ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz },
            }
        };

    // Final whatever came before or comes after: every narrative-bearing column is emptied.
    private static NpgsqlBatchCommand Withdrawn(CaseRecordConsentWithdrawnV1 w, long version) =>
        new("""
            insert into rm_case_records (record_id, kind, status, status_version, withdrawn_at) values ($1, $2, 'withdrawn', $3, $4)
            on conflict (record_id) do update set status = 'withdrawn',
                status_version = greatest(rm_case_records.status_version, excluded.status_version), withdrawn_at = excluded.withdrawn_at,
                unit_ids = '{}', indicator_ids = '{}', periods = '{}', ciphertext = null, narrative = null, narrative_version = null,
                title = null, tags = '{}', themes = '{}', risk_types = '{}', search_text = null
            """)
        {
            Parameters =
            {
                new() { Value = w.RecordId }, new() { Value = w.Kind }, new() { Value = version },
                new() { Value = w.WithdrawnAt, NpgsqlDbType = NpgsqlDbType.TimestampTz },
            }
        };
}

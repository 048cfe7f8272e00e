using Icp.Hosting;

namespace Icp.CaseStudies;

/// <summary>
/// Tables beside the event store. <c>narrative_keys</c> holds each record's data key, outside the events: deleting a
/// row makes every copy of that record's narrative unreadable. <c>records</c> is an inline list of the records'
/// clear fields (never narrative) and its author, for listing, quick look-ups and access checks.
/// </summary>
public sealed class CaseStudiesSchema() : SqlSchema("""
    create table if not exists narrative_keys (
        record_id  text primary key,
        data_key   bytea not null,
        created_at timestamptz not null default now()
    );
    create table if not exists records (
        record_id  text primary key,
        kind       text not null,
        status     text not null,
        role       text,
        month      text not null,
        version    bigint not null,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now()
    );
    create index if not exists records_kind_status on records (kind, status);
    -- Who created the record (the token's principal): drafts are theirs and consent managers' alone.
    alter table records add column if not exists author text;
    -- The units a record names: it is seen only by callers of all their systems.
    alter table records add column if not exists unit_ids text[];
    """);

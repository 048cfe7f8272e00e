using Icp.Hosting;

namespace Icp.Indicators;

/// <summary>Inline read models, updated in the same transaction as the events they reflect.</summary>
public sealed class IndicatorsSchema() : SqlSchema("""
    select pg_advisory_xact_lock(hashtext('icp-indicators-schema'));
    create table if not exists units (
        unit_id    text primary key,
        data       jsonb not null,
        version    bigint not null,
        updated_at timestamptz not null default now()
    );
    create table if not exists interventions (
        intervention_id text primary key,
        data            jsonb not null,
        version         bigint not null,
        updated_at      timestamptz not null default now()
    );
    create table if not exists indicators (
        indicator_id text primary key,
        measure      text not null,
        data         jsonb not null,
        version      bigint not null,
        updated_at   timestamptz not null default now()
    );
    create table if not exists submissions (
        submission_id text primary key,
        source        text not null,
        rows          int not null,
        revisions     int not null,
        accepted_at   timestamptz not null default now()
    );
    alter table submissions add column if not exists principal text;
    -- Submission ids are scoped to their source, and a digest of the rows tells a replay from other content.
    alter table submissions add column if not exists digest text;
    -- The units a submission wrote to: its status is shown only to callers who may see all of them.
    alter table submissions add column if not exists unit_ids text[];
    do $$
    begin
        if (select array_length(conkey, 1) from pg_constraint where conname = 'submissions_pkey') = 1 then
            alter table submissions drop constraint submissions_pkey, add primary key (source, submission_id);
        end if;
    end $$;
    create index if not exists submissions_source on submissions (source, accepted_at);
    -- Every month each source has sent for each series, changed or not: the basis of completeness. One row per
    -- (source, indicator, unit) keeps a 50,000-row feed to a few hundred row updates here.
    create table if not exists source_series (
        source        text not null,
        indicator_id  text not null,
        unit_id       text not null,
        periods       text[] not null,
        primary key (source, indicator_id, unit_id)
    );
    -- Series an administrator let a source revise although another source sends them.
    create table if not exists series_grants (
        indicator_id  text not null,
        unit_id       text not null,
        source        text not null,
        granted_by    text not null,
        granted_at    timestamptz not null default now(),
        primary key (indicator_id, unit_id, source)
    );
    """ + SeriesValues.Ddl);

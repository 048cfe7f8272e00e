using Icp.Hosting;

namespace Icp.Surveys;

/// <summary>Inline read models, updated in the same transaction as the events they reflect; used to validate commands.</summary>
public sealed class SurveysSchema() : SqlSchema("""
    create table if not exists instruments (
        instrument_id text primary key,
        data          jsonb not null,
        version       bigint not null,
        updated_at    timestamptz not null default now()
    );
    create table if not exists waves (
        wave_id       text primary key,
        instrument_id text not null,
        data          jsonb not null,
        responses     int not null default 0,
        updated_at    timestamptz not null default now()
    );
    create index if not exists waves_by_instrument on waves (instrument_id);
    create table if not exists respondents (
        wave_id       text not null,
        respondent_id text not null,
        submission_id text not null,
        primary key (wave_id, respondent_id)
    );
    create table if not exists comments (
        wave_id       text not null,
        respondent_id text not null,
        item_id       text not null,
        primary key (wave_id, respondent_id, item_id)
    );
    create table if not exists submissions (
        submission_id text primary key,
        wave_id       text not null,
        responses     int not null,
        accepted_at   timestamptz not null default now()
    );
    -- Blank responses received (counted, not stored), and a digest that tells a replay from other content.
    alter table submissions add column if not exists blank int not null default 0;
    alter table submissions add column if not exists digest text;
    -- Each response's key for its sealed free text; deleted when the respondent withdraws (crypto-shredding).
    create table if not exists response_keys (
        wave_id       text not null,
        respondent_id text not null,
        data_key      bytea not null,
        primary key (wave_id, respondent_id)
    );
    alter table respondents add column if not exists withdrawn_at timestamptz;
    """);

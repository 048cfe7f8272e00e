using Icp.Hosting;

namespace Icp.Referrals;

/// <summary>Inline read models, updated in the same transaction as the events they reflect.</summary>
public sealed class ReferralsSchema() : SqlSchema("""
    create table if not exists referrals (
        referral_id  text primary key,
        unit_id      text not null,
        source       text not null,
        destination  text not null,
        received_on  date not null,
        stage        text not null,
        state        jsonb not null,
        version      bigint not null,
        updated_at   timestamptz not null default now()
    );
    create index if not exists referrals_unit_received on referrals (unit_id, received_on);
    create table if not exists referral_submissions (
        submission_id text primary key,
        source        text not null,
        rows          int not null,
        events        int not null,
        accepted_at   timestamptz not null default now()
    );
    -- Submission ids are scoped to their source, and a digest of the steps tells a replay from other content.
    alter table referral_submissions add column if not exists digest text;
    -- The units a submission wrote to: its status is shown only to callers who may see all of them.
    alter table referral_submissions add column if not exists unit_ids text[];
    do $$
    begin
        if (select array_length(conkey, 1) from pg_constraint where conname = 'referral_submissions_pkey') = 1 then
            alter table referral_submissions drop constraint referral_submissions_pkey, add primary key (source, submission_id);
        end if;
    end $$;
    """);

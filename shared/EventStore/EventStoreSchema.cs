using Npgsql;

namespace Icp.EventStore;

/// <summary>Creates the event store tables idempotently; safe to run from several processes at once.</summary>
public static class EventStoreSchema
{
    public const string AppendedChannel = "icp_events_appended";

    private const string Ddl = """
        select pg_advisory_xact_lock(hashtext('icp-event-store-schema'));
        create table if not exists streams (
            stream_id   text primary key,
            stream_type text not null,
            version     bigint not null,
            created_at  timestamptz not null default now(),
            updated_at  timestamptz not null default now()
        );
        create table if not exists events (
            global_position bigint generated always as identity primary key,
            event_id        uuid not null unique,
            stream_id       text not null,
            stream_version  bigint not null,
            event_type      text not null,
            data            json not null,
            metadata        json not null,
            recorded_at     timestamptz not null default now(),
            tx_id           xid8 not null default pg_current_xact_id(),
            unique (stream_id, stream_version)
        );
        create index if not exists events_tx_id_global_position on events (tx_id, global_position);
        -- No foreign key to streams: every append writes its stream row in the same transaction, and checking the key
        -- for each of a large append's events was the dearest part of it (measured in docs/benchmarks.md).
        alter table events drop constraint if exists events_stream_id_fkey;
        -- Events are kept as written (json, not jsonb): a store never needs to normalise what it only stores and
        -- replays, and skipping jsonb's parse took about a fifth off a 50,000-event append (docs/benchmarks.md).
        do $$
        begin
            if exists (select from information_schema.columns where table_schema = current_schema()
                       and table_name = 'events' and column_name = 'data' and data_type = 'jsonb') then
                alter table events alter column data type json using data::json,
                                   alter column metadata type json using metadata::json;
            end if;
        end $$;
        create table if not exists checkpoints (
            name            text primary key,
            tx_id           xid8 not null,
            global_position bigint not null,
            updated_at      timestamptz not null default now()
        );
        """ + Quarantine.Ddl;

    public static async Task EnsureAsync(NpgsqlDataSource dataSource, CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await using (var command = new NpgsqlCommand(Ddl, connection, tx))
            await command.ExecuteNonQueryAsync(ct);
        await tx.CommitAsync(ct);
    }
}

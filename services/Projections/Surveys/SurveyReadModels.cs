using Icp.Contracts.Surveys;
using Icp.EventStore;
using Icp.Hosting;
using Icp.Hosting.Messaging;
using Npgsql;

namespace Icp.Projections.Surveys;

/// <summary>
/// Instruments, waves, every response (answers only) and comment codings, as the surveys service published them.
/// Definitions and codings keep the origin stream version and are only replaced by a higher one; a response is keyed
/// by (wave, respondent), which the surveys service keeps unique, so redelivery and any arrival order give the same
/// tables. Every survey analysis is computed from these tables. Free text arrives sealed and is opened later by
/// <see cref="SurveyCommentHydrator"/>; a withdrawal removes the response and its codings and leaves a tombstone, so
/// neither a redelivery nor a rebuild brings it back (its key is gone at the source too).
/// </summary>
public sealed class SurveyReadModels() : SqlSchema(Ddl), IReadModelProjection
{
    public string Name => "surveys";

    public IReadOnlyList<string> Tables { get; } =
        ["rm_survey_instruments", "rm_survey_waves", "rm_survey_responses", "rm_survey_comment_codings", "rm_survey_withdrawals"];

    private const string Ddl = """
        create table if not exists rm_survey_instruments (
            instrument_id  text primary key,
            data           jsonb not null,
            source_version bigint not null
        );
        create table if not exists rm_survey_waves (
            wave_id        text primary key,
            instrument_id  text not null,
            data           jsonb not null,
            source_version bigint not null
        );
        create table if not exists rm_survey_responses (
            wave_id        text not null,
            respondent_id  text not null,
            submission_id  text not null,
            data           jsonb not null,
            primary key (wave_id, respondent_id)
        );
        create table if not exists rm_survey_comment_codings (
            wave_id        text not null,
            respondent_id  text not null,
            item_id        text not null,
            themes         text[] not null,
            sentiment      text not null,
            coded_by       text,
            source_version bigint not null,
            primary key (wave_id, respondent_id, item_id)
        );
        -- Sealed free text (from 2026-12): the ciphertext until SurveyCommentHydrator has opened it into data.
        alter table rm_survey_responses add column if not exists sealed_comments jsonb;
        create index if not exists rm_survey_responses_sealed on rm_survey_responses (wave_id) where sealed_comments is not null;
        -- Withdrawn responses: final, whatever arrives before or after.
        create table if not exists rm_survey_withdrawals (
            wave_id        text not null,
            respondent_id  text not null,
            primary key (wave_id, respondent_id)
        );
        """;

    public async Task ApplyAsync(NpgsqlConnection connection, NpgsqlTransaction tx, IReadOnlyList<RecordedEvent> events, CancellationToken ct)
    {
        await using var batch = new NpgsqlBatch(connection, tx);
        foreach (var e in events)
        {
            var version = e.Metadata.SourceStreamVersion ?? e.StreamVersion;
            switch (e.EventType)
            {
                case nameof(InstrumentDefinedV1):
                    var instrument = IntegrationEvents.Deserialize<InstrumentDefinedV1>(e);
                    batch.BatchCommands.Add(Command("""
                        insert into rm_survey_instruments (instrument_id, data, source_version) values ($1, $2::jsonb, $3)
                        on conflict (instrument_id) do update set data = excluded.data, source_version = excluded.source_version
                        where rm_survey_instruments.source_version < excluded.source_version
                        """, instrument.InstrumentId, e.Data, version));
                    break;
                case nameof(WaveDefinedV1):
                    var wave = IntegrationEvents.Deserialize<WaveDefinedV1>(e);
                    batch.BatchCommands.Add(Command("""
                        insert into rm_survey_waves (wave_id, instrument_id, data, source_version) values ($1, $2, $3::jsonb, $4)
                        on conflict (wave_id) do update set instrument_id = excluded.instrument_id, data = excluded.data,
                            source_version = excluded.source_version
                        where rm_survey_waves.source_version < excluded.source_version
                        """, wave.WaveId, wave.InstrumentId, e.Data, version));
                    break;
                case nameof(SurveyResponsesSubmittedV1):
                    var submitted = IntegrationEvents.Deserialize<SurveyResponsesSubmittedV1>(e);
                    batch.BatchCommands.Add(Command("""
                        insert into rm_survey_responses (wave_id, respondent_id, submission_id, data, sealed_comments)
                        select $1, r, $3, d::jsonb, s::jsonb from unnest($2::text[], $4::text[], $5::text[]) as t (r, d, s)
                        where not exists (select from rm_survey_withdrawals w where w.wave_id = $1 and w.respondent_id = t.r)
                        on conflict (wave_id, respondent_id) do nothing
                        """, submitted.WaveId, submitted.Responses.Select(r => r.RespondentId).ToArray(), submitted.SubmissionId,
                        submitted.Responses.Select(r => Json(r with { SealedComments = null })).ToArray(),
                        submitted.Responses.Select(r => r.SealedComments is { } c ? Json(c) : null).ToArray()));
                    break;
                case nameof(SurveyResponseWithdrawnV1):
                    var withdrawn = IntegrationEvents.Deserialize<SurveyResponseWithdrawnV1>(e);
                    foreach (var sql in new[]
                             {
                                 "insert into rm_survey_withdrawals values ($1, $2) on conflict do nothing",
                                 "delete from rm_survey_responses where wave_id = $1 and respondent_id = $2",
                                 "delete from rm_survey_comment_codings where wave_id = $1 and respondent_id = $2",
                             })
                        batch.BatchCommands.Add(Command(sql, withdrawn.WaveId, withdrawn.RespondentId));
                    break;
                case nameof(SurveyCommentCodedV1):
                    var coding = IntegrationEvents.Deserialize<SurveyCommentCodedV1>(e);
                    batch.BatchCommands.Add(Command("""
                        insert into rm_survey_comment_codings (wave_id, respondent_id, item_id, themes, sentiment, coded_by, source_version)
                        values ($1, $2, $3, $4, $5, $6, $7)
                        on conflict (wave_id, respondent_id, item_id) do update set themes = excluded.themes, sentiment = excluded.sentiment,
                            coded_by = excluded.coded_by, source_version = excluded.source_version
                        where rm_survey_comment_codings.source_version < excluded.source_version
                        """, coding.WaveId, coding.RespondentId, coding.ItemId, coding.Themes.ToArray(), coding.Sentiment,
                        (object?)coding.CodedBy ?? DBNull.Value, version));
                    break;
            }
        }
        if (batch.BatchCommands.Count > 0) await batch.ExecuteNonQueryAsync(ct);
    }

    private static string Json<T>(T value) => System.Text.Json.JsonSerializer.Serialize(value, ServiceDefaults.Json);

    private static NpgsqlBatchCommand Command(string sql, params object[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in values) command.Parameters.Add(new NpgsqlParameter { Value = value });
        return command;
    }
}

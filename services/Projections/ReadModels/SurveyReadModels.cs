using Icp.Contracts.Surveys;
using Icp.EventStore;
using Icp.Hosting;
using Icp.Hosting.Messaging;
using Npgsql;

namespace Icp.Projections.ReadModels;

/// <summary>
/// Instruments, waves, every response (answers only) and comment codings, as the surveys service published them.
/// Definitions and codings keep the origin stream version and are only replaced by a higher one; a response is keyed
/// by (wave, respondent), which the surveys service keeps unique, so redelivery and any arrival order give the same
/// tables. Every survey analysis is computed from these tables.
/// </summary>
public sealed class SurveyReadModels() : SqlSchema(Ddl), IReadModelProjection
{
    public string Name => "surveys";

    public IReadOnlyList<string> Tables { get; } =
        ["rm_survey_instruments", "rm_survey_waves", "rm_survey_responses", "rm_survey_comment_codings"];

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
                        insert into rm_survey_responses (wave_id, respondent_id, submission_id, data)
                        select $1, r, $3, d::jsonb from unnest($2::text[], $4::text[]) as t (r, d)
                        on conflict (wave_id, respondent_id) do nothing
                        """, submitted.WaveId, submitted.Responses.Select(r => r.RespondentId).ToArray(), submitted.SubmissionId,
                        submitted.Responses.Select(r => System.Text.Json.JsonSerializer.Serialize(r, ServiceDefaults.Json)).ToArray()));
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

    private static NpgsqlBatchCommand Command(string sql, params object[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in values) command.Parameters.Add(new NpgsqlParameter { Value = value });
        return command;
    }
}

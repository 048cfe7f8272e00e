using System.Text.Json;
using Icp.Contracts.CaseStudies;
using Icp.Contracts.Surveys;
using Icp.EventStore;
using Icp.Hosting;
using Icp.Hosting.Intake;
using Icp.Hosting.Messaging;
using Icp.Surveys.Domain;
using Npgsql;

namespace Icp.Surveys;

public enum SaveOutcome { Created, Updated, Unchanged, Conflict }

public enum WithdrawalOutcome { Withdrawn, AlreadyWithdrawn, NotFound }

public sealed record SaveResult(SaveOutcome Outcome, List<string> Conflicts);

public sealed record WaveView(string WaveId, string InstrumentId, string? Name, string Month, int? Invited, IReadOnlyList<string> UnitIds,
    IReadOnlyList<string> Organisations, string Status, int Responses, double? ResponseRate);

/// <summary>A submission accepted: <c>Responses</c> received in all, of which <c>Blank</c> answered no item (counted as
/// received, stored nowhere, in no statistic).</summary>
public sealed record ResponsesAccepted(string SubmissionId, int Responses, int Blank = 0)
{
    public string? Note => Blank == 0 ? null
        : $"{Blank} of the {Responses} responses answered no item: counted as received and left out of every statistic.";
}

/// <summary>The outcome of a submission: accepted (maybe earlier), invalid, or a known submission id used for another wave.</summary>
public sealed record SubmissionResult(ResponsesAccepted? Accepted, List<ValidationError> Errors, string? Conflict = null);

/// <summary>
/// Instruments (stream <c>instrument/{id}</c>), waves and their responses (both on <c>wave/{id}</c>, so that closing a
/// wave, duplicate respondent ids and concurrent submissions are decided by the stream's version) and comment codings
/// (<c>comment/{wave}/{respondent}/{item}</c>). Inline tables mirror what validation needs.
/// </summary>
public sealed class SurveyService(EventLog store, EventMetadataFactory metadata, TimeProvider clock)
{
    private const int MaxConcurrencyRetries = 5;

    public static string WaveStream(string waveId) => $"wave/{waveId}";

    // ---- instruments

    public async Task<SaveResult> SaveInstrumentAsync(InstrumentDefinedV1 instrument, CancellationToken ct)
    {
        var (version, current) = await CurrentInstrumentAsync(instrument.InstrumentId, ct);
        if (current is not null)
        {
            if (Same(current, instrument)) return new SaveResult(SaveOutcome.Unchanged, []);
            if (await InstrumentHasResponsesAsync(instrument.InstrumentId, ct) &&
                InstrumentValidation.IncompatibleChanges(current, instrument) is { Count: > 0 } conflicts)
                return new SaveResult(SaveOutcome.Conflict, conflicts);
        }
        var json = Serialize(instrument);
        await store.AppendAsync(new StreamAppend($"instrument/{instrument.InstrumentId}", ExpectedVersion.Exactly(version), [instrument]),
            metadata.Create(),
            async (connection, tx, token) =>
            {
                await using var upsert = new NpgsqlCommand("""
                    insert into instruments (instrument_id, data, version) values ($1, $2::jsonb, $3)
                    on conflict (instrument_id) do update set data = excluded.data, version = excluded.version, updated_at = now()
                    """, connection, tx)
                {
                    Parameters = { new() { Value = instrument.InstrumentId }, new() { Value = json }, new() { Value = version + 1 } }
                };
                await upsert.ExecuteNonQueryAsync(token);
            }, ct);
        return new SaveResult(version == 0 ? SaveOutcome.Created : SaveOutcome.Updated, []);
    }

    public async Task<InstrumentDefinedV1?> GetInstrumentAsync(string instrumentId, CancellationToken ct) =>
        (await CurrentInstrumentAsync(instrumentId, ct)).Instrument;

    public async Task<List<InstrumentDefinedV1>> ListInstrumentsAsync(CancellationToken ct)
    {
        await using var command = store.DataSource.CreateCommand("select data::text from instruments order by instrument_id");
        return await ReadAllAsync<InstrumentDefinedV1>(command, ct);
    }

    private async Task<(long Version, InstrumentDefinedV1? Instrument)> CurrentInstrumentAsync(string instrumentId, CancellationToken ct)
    {
        await using var command = store.DataSource.CreateCommand("select version, data::text from instruments where instrument_id = $1");
        command.Parameters.Add(new() { Value = instrumentId });
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct)) return (0, null);
        return (reader.GetInt64(0), Deserialize<InstrumentDefinedV1>(reader.GetString(1)));
    }

    private async Task<bool> InstrumentHasResponsesAsync(string instrumentId, CancellationToken ct)
    {
        await using var command = store.DataSource.CreateCommand("select exists (select 1 from waves where instrument_id = $1 and responses > 0)");
        command.Parameters.Add(new() { Value = instrumentId });
        return await command.ExecuteScalarAsync(ct) is true;
    }

    // ---- waves

    public async Task<(SaveOutcome Outcome, List<ValidationError> Errors)> SaveWaveAsync(string waveId, WaveRequest request, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            var version = await store.GetStreamVersionAsync(WaveStream(waveId), ct);
            var current = await LoadWaveAsync(waveId, ct);
            var instrumentExists = Ids.IsValid(request.InstrumentId) && await GetInstrumentAsync(request.InstrumentId!, ct) is not null;
            var (wave, errors) = WaveValidation.Validate(waveId, request, instrumentExists, current?.Wave, current?.Responses ?? 0);
            if (wave is null) return (SaveOutcome.Unchanged, errors);
            if (current is not null && Same(current.Value.Wave, wave)) return (SaveOutcome.Unchanged, []);
            var json = Serialize(wave);
            try
            {
                await store.AppendAsync(new StreamAppend(WaveStream(waveId), ExpectedVersion.Exactly(version), [wave]),
                    metadata.Create(),
                    async (connection, tx, token) =>
                    {
                        await using var upsert = new NpgsqlCommand("""
                            insert into waves (wave_id, instrument_id, data) values ($1, $2, $3::jsonb)
                            on conflict (wave_id) do update set instrument_id = excluded.instrument_id, data = excluded.data, updated_at = now()
                            """, connection, tx)
                        {
                            Parameters = { new() { Value = waveId }, new() { Value = wave.InstrumentId }, new() { Value = json } }
                        };
                        await upsert.ExecuteNonQueryAsync(token);
                    }, ct);
                return (current is null ? SaveOutcome.Created : SaveOutcome.Updated, []);
            }
            catch (ConcurrencyException) when (attempt < MaxConcurrencyRetries)
            {
                // Responses arrived or the wave changed meanwhile: validate again against the new state.
            }
        }
    }

    public async Task<WaveView?> GetWaveAsync(string waveId, CancellationToken ct) =>
        await LoadWaveAsync(waveId, ct) is var (wave, responses) ? View(wave, responses) : null;

    public async Task<List<WaveView>> ListWavesAsync(string? instrumentId, CancellationToken ct)
    {
        await using var command = store.DataSource.CreateCommand(
            "select data::text, responses from waves where $1::text is null or instrument_id = $1 order by wave_id");
        command.Parameters.Add(new() { Value = (object?)instrumentId ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        var waves = new List<WaveView>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) waves.Add(View(Deserialize<WaveDefinedV1>(reader.GetString(0)), reader.GetInt32(1)));
        return waves;
    }

    private static WaveView View(WaveDefinedV1 w, int responses) => new(w.WaveId, w.InstrumentId, w.Name, w.Month, w.Invited, w.UnitIds,
        w.Organisations, w.Status, responses, w.Invited is > 0 and var invited ? (double)responses / invited : null);

    private async Task<(WaveDefinedV1 Wave, int Responses)?> LoadWaveAsync(string waveId, CancellationToken ct)
    {
        await using var command = store.DataSource.CreateCommand("select data::text, responses from waves where wave_id = $1");
        command.Parameters.Add(new() { Value = waveId });
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct)) return null;
        return (Deserialize<WaveDefinedV1>(reader.GetString(0)), reader.GetInt32(1));
    }

    // ---- responses

    /// <summary>Loads what a submission is validated against; null when the wave (or its instrument) does not exist.</summary>
    public async Task<(WaveState State, long Version)?> LoadWaveStateAsync(string waveId, CancellationToken ct)
    {
        var version = await store.GetStreamVersionAsync(WaveStream(waveId), ct);
        if (await LoadWaveAsync(waveId, ct) is not var (wave, _)) return null;
        if (await GetInstrumentAsync(wave.InstrumentId, ct) is not { } instrument) return null;
        await using var command = store.DataSource.CreateCommand("select respondent_id from respondents where wave_id = $1");
        command.Parameters.Add(new() { Value = waveId });
        var respondents = new HashSet<string>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) respondents.Add(reader.GetString(0));
        return (new WaveState(wave, instrument, respondents), version);
    }

    /// <summary>
    /// Stores a whole submission or nothing. A known submission id answers as before (and changes nothing); a
    /// concurrent change of the wave makes the submission be validated again against the new state.
    /// </summary>
    public async Task<SubmissionResult> SubmitResponsesAsync(string waveId, Func<WaveState, (ResponseSubmissionRequest? Request, List<ValidationError> Errors)> read,
        CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            if (await LoadWaveStateAsync(waveId, ct) is not var (state, version))
                return new SubmissionResult(null, [new(null, "waveId", $"No wave '{waveId}'.")]);
            var (request, readErrors) = read(state);
            if (request is null) return new SubmissionResult(null, readErrors);
            var digest = ResponseDigest.Of(waveId, request.Responses ?? []);
            if (Ids.IsValid(request.SubmissionId) && await FindSubmissionAsync(request.SubmissionId!, ct) is { } previous)
                return previous.WaveId != waveId
                    ? new SubmissionResult(null, [], $"Submission '{request.SubmissionId}' was already used for another wave.")
                    : previous.Digest is null || previous.Digest == digest
                        ? new SubmissionResult(previous.Accepted, [])
                        : new SubmissionResult(null, [], $"Submission '{request.SubmissionId}' was accepted before with other " +
                            "responses. Send further responses under a new submission id; nothing was stored.");
            var (responses, blank, errors) = ResponseValidation.Validate(request, state, DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime));
            if (errors.Count > 0) return new SubmissionResult(null, errors);
            var accepted = new ResponsesAccepted(request.SubmissionId!, responses.Count + blank, blank);
            try
            {
                await StoreResponsesAsync(state, version, accepted, digest, request.Source ?? "api", responses, ct);
                return new SubmissionResult(accepted, []);
            }
            catch (Exception e) when (attempt < MaxConcurrencyRetries &&
                                      e is ConcurrencyException or PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
            {
                // The wave changed, or the same submission id was stored meanwhile: look again.
            }
        }
    }

    private async Task StoreResponsesAsync(WaveState state, long version, ResponsesAccepted accepted, string digest, string source,
        List<SurveyResponse> responses, CancellationToken ct)
    {
        var waveId = state.Wave.WaveId;
        var submissionId = accepted.SubmissionId;
        var comments = responses.SelectMany(r => r.Comments.Keys.Select(item => (r.RespondentId, item))).ToList();
        // Free text leaves this service only sealed, each response with its own key (kept here, destroyed on withdrawal).
        var keys = new List<(string RespondentId, byte[] Key)>();
        var sealedResponses = responses.Select(r =>
        {
            if (r.Comments.Count == 0) return r;
            var key = NarrativeCipher.NewKey();
            keys.Add((r.RespondentId, key));
            return r with
            {
                Comments = new Dictionary<string, string>(),
                SealedComments = NarrativeCipher.Encrypt(key, SurveyResponseKeys.Binding(waveId, r.RespondentId), Serialize(r.Comments)),
            };
        }).ToList();
        var submitted = new SurveyResponsesSubmittedV1(waveId, state.Instrument.InstrumentId, submissionId, source, sealedResponses)
        {
            BlankResponses = accepted.Blank > 0 ? accepted.Blank : null,
        };
        await store.AppendAsync(new StreamAppend(WaveStream(waveId), ExpectedVersion.Exactly(version), [submitted]),
            metadata.Create(sourceSystem: source),
            async (connection, tx, token) =>
            {
                await using var batch = new NpgsqlBatch(connection, tx)
                {
                    BatchCommands =
                    {
                        new NpgsqlBatchCommand("""
                            insert into submissions (submission_id, wave_id, responses, blank, digest) values ($1, $2, $3, $4, $5)
                            """)
                        {
                            Parameters =
                            {
                                new() { Value = submissionId }, new() { Value = waveId }, new() { Value = accepted.Responses },
                                new() { Value = accepted.Blank }, new() { Value = digest },
                            }
                        },
                        new NpgsqlBatchCommand("insert into respondents (wave_id, respondent_id, submission_id) select $1, r, $3 from unnest($2::text[]) as r")
                        {
                            Parameters = { new() { Value = waveId }, new() { Value = responses.Select(r => r.RespondentId).ToArray() }, new() { Value = submissionId } }
                        },
                        new NpgsqlBatchCommand("insert into comments (wave_id, respondent_id, item_id) select $1, r, i from unnest($2::text[], $3::text[]) as t (r, i)")
                        {
                            Parameters =
                            {
                                new() { Value = waveId },
                                new() { Value = comments.Select(c => c.RespondentId).ToArray() },
                                new() { Value = comments.Select(c => c.item).ToArray() },
                            }
                        },
                        new NpgsqlBatchCommand("update waves set responses = responses + $2, updated_at = now() where wave_id = $1")
                        {
                            Parameters = { new() { Value = waveId }, new() { Value = responses.Count } }
                        },
                        new NpgsqlBatchCommand("""
                            insert into response_keys (wave_id, respondent_id, data_key) select $1, r, k from unnest($2::text[], $3::bytea[]) as t (r, k)
                            """)
                        {
                            Parameters =
                            {
                                new() { Value = waveId }, new() { Value = keys.Select(k => k.RespondentId).ToArray() },
                                new() { Value = keys.Select(k => k.Key).ToArray() },
                            }
                        },
                    }
                };
                await batch.ExecuteNonQueryAsync(token);
            }, ct);
    }

    private async Task<(ResponsesAccepted Accepted, string WaveId, string? Digest)?> FindSubmissionAsync(string submissionId, CancellationToken ct)
    {
        await using var command = store.DataSource.CreateCommand("select responses, wave_id, blank, digest from submissions where submission_id = $1");
        command.Parameters.Add(new() { Value = submissionId });
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct)) return null;
        // Submissions stored before digests were kept have none: a replay of one is answered as before.
        return (new ResponsesAccepted(submissionId, reader.GetInt32(0), reader.GetInt32(2)), reader.GetString(1),
            reader.IsDBNull(3) ? null : reader.GetString(3));
    }

    // ---- withdrawal

    /// <summary>
    /// A respondent withdraws: the withdrawal event, the key of their sealed free text deleted, their comments no longer
    /// codable and the wave's response count lowered, all in one transaction. Withdrawing again changes nothing.
    /// </summary>
    public async Task<(WithdrawalOutcome Outcome, DateTimeOffset? WithdrawnAt)> WithdrawResponseAsync(string waveId, string respondentId,
        CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            var version = await store.GetStreamVersionAsync(WaveStream(waveId), ct);
            await using (var command = store.DataSource.CreateCommand(
                             "select withdrawn_at from respondents where wave_id = $1 and respondent_id = $2"))
            {
                command.Parameters.Add(new() { Value = waveId });
                command.Parameters.Add(new() { Value = respondentId });
                var found = await command.ExecuteScalarAsync(ct);
                if (found is null) return (WithdrawalOutcome.NotFound, null);
                if (found is DateTime at) return (WithdrawalOutcome.AlreadyWithdrawn, new DateTimeOffset(at, TimeSpan.Zero));
            }
            // To the microsecond, as PostgreSQL keeps it, so that asking again answers the same instant.
            var now = clock.GetUtcNow();
            var withdrawn = new SurveyResponseWithdrawnV1(waveId, respondentId, now.AddTicks(-(now.Ticks % 10)));
            try
            {
                await store.AppendAsync(new StreamAppend(WaveStream(waveId), ExpectedVersion.Exactly(version), [withdrawn]),
                    metadata.Create(),
                    async (connection, tx, token) =>
                    {
                        await using var batch = new NpgsqlBatch(connection, tx);
                        foreach (var sql in new[]
                                 {
                                     "delete from response_keys where wave_id = $1 and respondent_id = $2",
                                     "delete from comments where wave_id = $1 and respondent_id = $2",
                                     "update respondents set withdrawn_at = $3 where wave_id = $1 and respondent_id = $2",
                                     "update waves set responses = responses - 1, updated_at = now() where wave_id = $1 and $3 is not null",
                                 })
                            batch.BatchCommands.Add(new NpgsqlBatchCommand(sql)
                            {
                                Parameters =
                                {
                                    new() { Value = waveId }, new() { Value = respondentId },
                                    new() { Value = withdrawn.WithdrawnAt, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.TimestampTz },
                                }
                            });
                        await batch.ExecuteNonQueryAsync(token);
                    }, ct);
                return (WithdrawalOutcome.Withdrawn, withdrawn.WithdrawnAt);
            }
            catch (ConcurrencyException) when (attempt < MaxConcurrencyRetries)
            {
                // Responses arrived or the wave changed meanwhile: look again.
            }
        }
    }

    /// <summary>The keys of these responses' sealed free text; a response withdrawn (or never sealed) has none.</summary>
    public async Task<List<(string WaveId, string RespondentId, byte[] Key)>> ResponseKeysAsync(
        IReadOnlyList<(string WaveId, string RespondentId)> responses, CancellationToken ct)
    {
        await using var command = store.DataSource.CreateCommand("""
            select k.wave_id, k.respondent_id, k.data_key from response_keys k
            join unnest($1::text[], $2::text[]) as t (w, r) on k.wave_id = t.w and k.respondent_id = t.r
            """);
        command.Parameters.Add(new() { Value = responses.Select(r => r.WaveId).ToArray() });
        command.Parameters.Add(new() { Value = responses.Select(r => r.RespondentId).ToArray() });
        var keys = new List<(string, string, byte[])>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) keys.Add((reader.GetString(0), reader.GetString(1), reader.GetFieldValue<byte[]>(2)));
        return keys;
    }

    // ---- comment coding

    public async Task<bool> CommentExistsAsync(string waveId, string respondentId, string itemId, CancellationToken ct)
    {
        await using var command = store.DataSource.CreateCommand(
            "select 1 from comments where wave_id = $1 and respondent_id = $2 and item_id = $3");
        command.Parameters.Add(new() { Value = waveId });
        command.Parameters.Add(new() { Value = respondentId });
        command.Parameters.Add(new() { Value = itemId });
        return await command.ExecuteScalarAsync(ct) is not null;
    }

    /// <summary>Appends a coding to the comment's own stream; the newest coding is the comment's coding.</summary>
    public async Task CodeCommentAsync(SurveyCommentCodedV1 coding, CancellationToken ct)
    {
        var streamId = $"comment/{coding.WaveId}/{coding.RespondentId}/{coding.ItemId}";
        await store.AppendAsync(new StreamAppend(streamId, ExpectedVersion.Any, [coding]),
            metadata.Create(), null, ct);
    }

    // ---- helpers

    private static string Serialize<T>(T value) => JsonSerializer.Serialize(value, ServiceDefaults.Json);

    private static T Deserialize<T>(string json) => JsonSerializer.Deserialize<T>(json, ServiceDefaults.Json)!;

    private static bool Same<T>(T a, T b) =>
        JsonElement.DeepEquals(JsonSerializer.SerializeToElement(a, ServiceDefaults.Json), JsonSerializer.SerializeToElement(b, ServiceDefaults.Json));

    private static async Task<List<T>> ReadAllAsync<T>(NpgsqlCommand command, CancellationToken ct)
    {
        var items = new List<T>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) items.Add(Deserialize<T>(reader.GetString(0)));
        return items;
    }
}

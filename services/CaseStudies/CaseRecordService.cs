using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Icp.CaseStudies.Domain;
using Icp.Contracts.CaseStudies;
using Icp.EventStore;
using Icp.Hosting;
using Icp.Hosting.Messaging;
using Npgsql;

namespace Icp.CaseStudies;

public enum WriteOutcome { Created, Revised, Unchanged, Refused }

public sealed record WriteResult(WriteOutcome Outcome, RecordState? State, string? Reason = null);

public enum TransitionOutcome { Applied, Unchanged, Refused, NotFound }

public sealed record TransitionResult(TransitionOutcome Outcome, RecordState? State, string? Reason = null);

public sealed record RecordSummary(string RecordId, string Kind, string Status, string? Role, string Month, long Version, DateTimeOffset UpdatedAt,
    string? Author, [property: System.Text.Json.Serialization.JsonIgnore] string[] UnitIds);

/// <summary>
/// Writes and reads case-study records. Narratives are encrypted with the record's data key before they reach an
/// event; the key is stored in <c>narrative_keys</c> in the same transaction as the record's first event and deleted
/// in the same transaction as its withdrawal event.
/// </summary>
public sealed class CaseRecordService(EventLog store, EventMetadataFactory metadata, TimeProvider clock)
{
    private const int MaxConcurrencyRetries = 5;

    public DateOnly Today => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
    public DateTimeOffset Now => clock.GetUtcNow();

    public static string StreamId(string recordId) => $"record/{recordId}";

    public static string NewRecordId(string kind) => $"{Prefix(kind)}-{Guid.CreateVersion7():N}";

    /// <summary>A record id derived from a client's Idempotency-Key, so a replayed POST lands on the same record.</summary>
    public static string RecordIdFor(string kind, string idempotencyKey) =>
        $"{Prefix(kind)}-{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{kind}\n{idempotencyKey}")))[..32]}";

    private static string Prefix(string kind) => kind switch
    {
        RecordKinds.Story => "st",
        RecordKinds.CaseStudy => "cs",
        RecordKinds.Theograph => "tg",
        _ => "re",
    };

    /// <summary>
    /// Creates the record, or revises its draft; writing the same content again changes nothing. With
    /// <paramref name="createOnly"/> an existing record with other content is refused, never revised (a replayed POST).
    /// </summary>
    public async Task<WriteResult> WriteAsync(string kind, string recordId, RecordDraft draft, CancellationToken ct, bool createOnly = false)
    {
        var plaintext = JsonSerializer.Serialize(draft.Narrative, ServiceDefaults.Json);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var state = await LoadAsync(recordId, ct);
                if (state is null) return await CreateAsync(kind, recordId, draft, plaintext, ct);
                if (state.Kind != kind) return new WriteResult(WriteOutcome.Refused, state, $"Record '{recordId}' is a {state.Kind}, not a {kind}.");
                if (state.IsWithdrawn) return new WriteResult(WriteOutcome.Refused, state, "Consent for this record was withdrawn; it cannot be changed.");
                var key = await LoadKeyAsync(recordId, ct)
                    ?? throw new InvalidOperationException($"Record '{recordId}' has no data key but is not withdrawn.");
                var sameContent = NarrativeCipher.Decrypt(key, recordId, state.Draft.Narrative) == plaintext;
                var revision = Drafted(kind, recordId, draft, key, plaintext);
                if (createOnly)
                    return sameContent && Workflow.Revise(state, revision, sameContent) is Decision.AlreadyDone
                        ? new WriteResult(WriteOutcome.Unchanged, state)
                        : new WriteResult(WriteOutcome.Refused, state, "The record already exists with other content.");
                switch (Workflow.Revise(state, revision, sameContent))
                {
                    case Decision.AlreadyDone: return new WriteResult(WriteOutcome.Unchanged, state);
                    case Decision.Refuse refuse: return new WriteResult(WriteOutcome.Refused, state, refuse.Reason);
                }
                await AppendAsync(state, revision, null, ct);
                return new WriteResult(WriteOutcome.Revised, await LoadAsync(recordId, ct));
            }
            catch (ConcurrencyException) when (attempt < MaxConcurrencyRetries)
            {
                // Someone else wrote to this record first: look again.
            }
        }
    }

    private async Task<WriteResult> CreateAsync(string kind, string recordId, RecordDraft draft, string plaintext, CancellationToken ct)
    {
        var key = NarrativeCipher.NewKey();
        var drafted = Drafted(kind, recordId, draft, key, plaintext);
        var eventMetadata = metadata.Create();
        await store.AppendAsync(new StreamAppend(StreamId(recordId), ExpectedVersion.NoStream, [drafted]), eventMetadata,
            async (connection, tx, token) =>
            {
                await using var batch = new NpgsqlBatch(connection, tx)
                {
                    BatchCommands =
                    {
                        new NpgsqlBatchCommand("insert into narrative_keys (record_id, data_key) values ($1, $2)")
                        {
                            Parameters = { new() { Value = recordId }, new() { Value = key } },
                        },
                        new NpgsqlBatchCommand("""
                            insert into records (record_id, kind, status, role, month, version, author, unit_ids)
                            values ($1, $2, $3, $4, $5, 1, $6, $7)
                            """)
                        {
                            Parameters =
                            {
                                new() { Value = recordId }, new() { Value = kind }, new() { Value = RecordStatus.Draft },
                                new() { Value = (object?)drafted.Role ?? DBNull.Value }, new() { Value = drafted.Month },
                                new() { Value = eventMetadata.Principal }, new() { Value = drafted.UnitIds.ToArray() },
                            },
                        },
                    },
                };
                await batch.ExecuteNonQueryAsync(token);
            }, ct);
        return new WriteResult(WriteOutcome.Created, await LoadAsync(recordId, ct));
    }

    private static CaseRecordDraftedV1 Drafted(string kind, string recordId, RecordDraft draft, byte[] key, string plaintext) =>
        new(recordId, kind, draft.Role, draft.Month, draft.UnitIds, draft.IndicatorIds, draft.Periods,
            NarrativeCipher.Encrypt(key, recordId, plaintext));

    /// <summary>Runs one workflow step; withdrawal also destroys the record's data key in the same transaction.</summary>
    public async Task<TransitionResult> TransitionAsync(string kind, string recordId, Func<RecordState, Decision> decide, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            var state = await LoadAsync(recordId, ct);
            if (state is null || state.Kind != kind) return new TransitionResult(TransitionOutcome.NotFound, null);
            var decision = decide(state);
            switch (decision)
            {
                case Decision.AlreadyDone: return new TransitionResult(TransitionOutcome.Unchanged, state);
                case Decision.Refuse refuse: return new TransitionResult(TransitionOutcome.Refused, state, refuse.Reason);
            }
            var e = ((Decision.Apply)decision).Event;
            var destroyKey = e is CaseRecordConsentWithdrawnV1;
            try
            {
                await AppendAsync(state, e, destroyKey ? "delete from narrative_keys where record_id = $1" : null, ct);
            }
            catch (ConcurrencyException) when (attempt < MaxConcurrencyRetries)
            {
                continue;
            }
            if (destroyKey) await ReclaimDeletedKeysAsync(ct);
            return new TransitionResult(TransitionOutcome.Applied, await LoadAsync(recordId, ct));
        }
    }

    private async Task AppendAsync(RecordState state, object e, string? extraSql, CancellationToken ct)
    {
        var status = Workflow.Apply(state, e, state.Version + 1)!.Status;
        var drafted = e as CaseRecordDraftedV1;
        await store.AppendAsync(new StreamAppend(StreamId(state.RecordId), ExpectedVersion.Exactly(state.Version), [e]),
            metadata.Create(), async (connection, tx, token) =>
            {
                await using var batch = new NpgsqlBatch(connection, tx);
                batch.BatchCommands.Add(new NpgsqlBatchCommand("""
                    update records set status = $2, version = $3, role = coalesce($4, role), month = coalesce($5, month),
                        unit_ids = coalesce($6, unit_ids), updated_at = now()
                    where record_id = $1
                    """)
                {
                    Parameters =
                    {
                        new() { Value = state.RecordId }, new() { Value = status }, new() { Value = state.Version + 1 },
                        new() { Value = (object?)drafted?.Role ?? DBNull.Value }, new() { Value = (object?)drafted?.Month ?? DBNull.Value },
                        new() { Value = (object?)drafted?.UnitIds.ToArray() ?? DBNull.Value, DataTypeName = "text[]" },
                    },
                });
                if (extraSql is not null)
                    batch.BatchCommands.Add(new NpgsqlBatchCommand(extraSql) { Parameters = { new() { Value = state.RecordId } } });
                await batch.ExecuteNonQueryAsync(token);
            }, ct);
    }

    // The deleted key row stays in the table file as a dead tuple until vacuumed; reclaim it now rather than at
    // autovacuum's leisure. VACUUM cannot run inside a transaction, so this follows the commit.
    private async Task ReclaimDeletedKeysAsync(CancellationToken ct)
    {
        try
        {
            await using var vacuum = store.DataSource.CreateCommand("vacuum narrative_keys");
            await vacuum.ExecuteNonQueryAsync(ct);
        }
        catch (NpgsqlException)
        {
            // Best effort: autovacuum will reclaim it later; the key is already gone for every reader.
        }
    }

    public async Task<RecordState?> LoadAsync(string recordId, CancellationToken ct)
    {
        var events = await store.ReadStreamAsync(StreamId(recordId), ct);
        return Workflow.Fold(events.Select(e => (e.Data, e.Version)));
    }

    /// <summary>Who created the record; null for a record that does not exist (or predates authorship).</summary>
    public async Task<string?> AuthorAsync(string recordId, CancellationToken ct)
    {
        await using var command = store.DataSource.CreateCommand("select author from records where record_id = $1");
        command.Parameters.Add(new() { Value = recordId });
        return await command.ExecuteScalarAsync(ct) as string;
    }

    public async Task<byte[]?> LoadKeyAsync(string recordId, CancellationToken ct)
    {
        await using var command = store.DataSource.CreateCommand("select data_key from narrative_keys where record_id = $1");
        command.Parameters.Add(new() { Value = recordId });
        return await command.ExecuteScalarAsync(ct) as byte[];
    }

    /// <summary>The narrative in clear, or null once consent is withdrawn (the key is gone).</summary>
    public async Task<CaseRecordNarrative?> ReadNarrativeAsync(RecordState state, CancellationToken ct)
    {
        if (state.IsWithdrawn || await LoadKeyAsync(state.RecordId, ct) is not { } key) return null;
        return JsonSerializer.Deserialize<CaseRecordNarrative>(NarrativeCipher.Decrypt(key, state.RecordId, state.Draft.Narrative), ServiceDefaults.Json);
    }

    public async Task<List<RecordSummary>> ListAsync(string kind, string? status, CancellationToken ct)
    {
        await using var command = store.DataSource.CreateCommand("""
            select record_id, kind, status, role, month, version, updated_at, author, coalesce(unit_ids, '{}') from records
            where kind = $1 and ($2::text is null or status = $2) order by created_at, record_id
            """);
        command.Parameters.Add(new() { Value = kind });
        command.Parameters.Add(new() { Value = (object?)status ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        var list = new List<RecordSummary>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            list.Add(new RecordSummary(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3),
                reader.GetString(4), reader.GetInt64(5), reader.GetFieldValue<DateTimeOffset>(6), reader.IsDBNull(7) ? null : reader.GetString(7),
                reader.GetFieldValue<string[]>(8)));
        return list;
    }

    /// <summary>
    /// The record as the API shows it: clear fields, workflow facts and, while consent stands, the narrative fields
    /// at the top level (as they were written). A withdrawn record shows only what the audit trail keeps.
    /// </summary>
    public static JsonObject View(RecordState state, CaseRecordNarrative? narrative, string idField)
    {
        var view = new JsonObject
        {
            ["recordId"] = state.RecordId,
            [idField] = state.RecordId,
            ["kind"] = state.Kind,
            ["status"] = state.Status,
            ["role"] = state.Draft.Role,
            ["month"] = state.Draft.Month,
        };
        if (!state.IsWithdrawn)
        {
            view["unitIds"] = JsonSerializer.SerializeToNode(state.Draft.UnitIds, ServiceDefaults.Json);
            view["indicatorIds"] = JsonSerializer.SerializeToNode(state.Draft.IndicatorIds, ServiceDefaults.Json);
            view["periods"] = JsonSerializer.SerializeToNode(state.Draft.Periods, ServiceDefaults.Json);
        }
        if (narrative is not null)
        {
            view["title"] = narrative.Title;
            view["tags"] = JsonSerializer.SerializeToNode(narrative.Tags, ServiceDefaults.Json);
            object? section = (object?)narrative.Story ?? (object?)narrative.CaseStudy ?? (object?)narrative.Theograph ?? narrative.Realist;
            if (section is not null && JsonSerializer.SerializeToNode(section, section.GetType(), ServiceDefaults.Json) is JsonObject fields)
                foreach (var (name, value) in fields.ToList())
                {
                    fields.Remove(name);
                    view[name] = value;
                }
        }
        view["validatedBy"] = state.ValidatedBy;
        view["consentRecordedAt"] = state.ConsentRecordedAt;
        view["publishedAt"] = state.PublishedAt;
        view["withdrawnAt"] = state.WithdrawnAt;
        view["withdrawalReason"] = state.WithdrawalReason;
        view["version"] = state.Version;
        return view;
    }
}

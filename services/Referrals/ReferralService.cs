using System.Text.Json;
using Icp.Contracts.Referrals;
using Icp.EventStore;
using Icp.Hosting;
using Icp.Hosting.Messaging;
using Icp.Hosting.Security;
using Icp.Referrals.Domain;
using Npgsql;

namespace Icp.Referrals;

public sealed record BulkAccepted(string SubmissionId, int Rows, int Events);

/// <summary>The outcome: accepted (now or before), refused with errors, or in conflict with an earlier submission of the
/// same id and source that carried other steps.</summary>
public sealed record StepsResult(BulkAccepted? Accepted, List<ValidationError> Errors, ReferralPlan? Plan, string? Conflict = null);

/// <summary>
/// Applies lifecycle steps whole or not at all: every referral touched is appended to at the version it was read at,
/// with the inline state table in the same transaction. A bulk submission's own stream makes a replay change nothing.
/// </summary>
public sealed class ReferralService(EventLog store, EventMetadataFactory metadata)
{
    private const int MaxConcurrencyRetries = 5;

    public static string Stream(string referralId) => $"referral/{referralId}";

    public async Task<StepsResult> ApplyAsync(IReadOnlyList<(int? Row, ReferralStep Step)> steps, string? submissionId, string source,
        int rowCount, UnitScope scope, CancellationToken ct)
    {
        var digest = submissionId is null ? null : ReferralDigest.Of(steps.Select(s => s.Step));
        for (var attempt = 1; ; attempt++)
        {
            // A replay answers as the first time did; the same id with other steps is a conflict, and stores nothing.
            if (submissionId is not null && await FindSubmissionAsync(source, submissionId, ct) is { } previous)
                return previous.Digest is null || previous.Digest == digest
                    ? new(previous.Accepted, [], null)
                    : new(null, [], null, $"Submission '{submissionId}' of '{source}' was accepted before with other steps. " +
                        "Send further steps under a new submission id; nothing was stored.");
            var current = await LoadAsync(steps.Select(s => s.Step.ReferralId).Distinct().ToArray(), ct);
            if (OutOfScope(steps, current, scope) is { Count: > 0 } unseen) return new(null, unseen, null);
            var plan = ReferralBatch.Plan(steps, current.ToDictionary(c => c.Key, c => c.Value.State));
            if (plan.Errors.Count > 0) return new(null, plan.Errors, plan);
            try
            {
                await StoreAsync(plan, current, submissionId, digest, source, rowCount, ct);
                return new(submissionId is null ? null : new BulkAccepted(submissionId, rowCount, plan.EventCount), [], plan);
            }
            catch (ConcurrencyException) when (attempt < MaxConcurrencyRetries)
            {
                // Someone changed one of these referrals (or stored this submission) meanwhile: read again and re-plan.
            }
        }
    }

    // A referral (or a new referral's unit) under another system is answered as one that does not exist.
    private static List<ValidationError> OutOfScope(IReadOnlyList<(int? Row, ReferralStep Step)> steps,
        Dictionary<string, (ReferralState State, long Version)> current, UnitScope scope)
    {
        var errors = new List<ValidationError>();
        if (scope.IsEverything) return errors;
        foreach (var (row, step) in steps)
        {
            if (current.TryGetValue(step.ReferralId, out var stored))
            {
                if (!scope.Includes(stored.State.UnitId)) errors.Add(new(row, "referralId", "No such referral."));
            }
            else if (step.UnitId is not null && !scope.Includes(step.UnitId)) errors.Add(new(row, "unitId", UnitScope.NotFoundDetail));
        }
        return errors;
    }

    private async Task StoreAsync(ReferralPlan plan, Dictionary<string, (ReferralState State, long Version)> current,
        string? submissionId, string? digest, string source, int rowCount, CancellationToken ct)
    {
        var eventMetadata = metadata.Create(sourceSystem: source);
        var appends = new List<StreamAppend>(plan.Changes.Count + 1);
        if (submissionId is not null)
            appends.Add(new($"submission/{source}/{submissionId}", ExpectedVersion.NoStream,
                [new ReferralSubmissionAcceptedV1(submissionId, source, rowCount, plan.EventCount) { Digest = digest }]));
        var states = new List<(ReferralState State, long Version)>(plan.Changes.Count);
        foreach (var (referralId, change) in plan.Changes)
        {
            var version = current.TryGetValue(referralId, out var stored) ? stored.Version : 0;
            appends.Add(new(Stream(referralId), ExpectedVersion.Exactly(version), [.. change.Events]));
            states.Add((change.After, version + change.Events.Count));
        }
        if (appends.Count == 0) return;
        await store.AppendAsync(appends, eventMetadata, (connection, tx, token) =>
            UpdateInlineAsync(connection, tx, states, submissionId, digest, source, rowCount, plan.EventCount, token), ct);
    }

    private static async Task UpdateInlineAsync(NpgsqlConnection connection, NpgsqlTransaction tx, List<(ReferralState State, long Version)> states,
        string? submissionId, string? digest, string source, int rowCount, int eventCount, CancellationToken ct)
    {
        await using var batch = new NpgsqlBatch(connection, tx);
        if (states.Count > 0)
            batch.BatchCommands.Add(new NpgsqlBatchCommand("""
                insert into referrals (referral_id, unit_id, source, destination, received_on, stage, state, version)
                select * from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::date[], $6::text[], $7::jsonb[], $8::bigint[])
                on conflict (referral_id) do update set stage = excluded.stage, state = excluded.state, version = excluded.version, updated_at = now()
                """)
            {
                Parameters =
                {
                    new() { Value = states.Select(s => s.State.ReferralId).ToArray() },
                    new() { Value = states.Select(s => s.State.UnitId).ToArray() },
                    new() { Value = states.Select(s => s.State.Source).ToArray() },
                    new() { Value = states.Select(s => s.State.Destination).ToArray() },
                    new() { Value = states.Select(s => s.State.ReceivedOn).ToArray() },
                    new() { Value = states.Select(s => s.State.Stage).ToArray() },
                    new() { Value = states.Select(s => JsonSerializer.Serialize(s.State, ServiceDefaults.Json)).ToArray(), DataTypeName = "jsonb[]" },
                    new() { Value = states.Select(s => s.Version).ToArray() },
                }
            });
        if (submissionId is not null)
            batch.BatchCommands.Add(new NpgsqlBatchCommand("""
                insert into referral_submissions (submission_id, source, rows, events, digest, unit_ids)
                values ($1, $2, $3, $4, $5, $6)
                """)
            {
                Parameters =
                {
                    new() { Value = submissionId }, new() { Value = source }, new() { Value = rowCount }, new() { Value = eventCount },
                    new() { Value = (object?)digest ?? DBNull.Value },
                    new() { Value = states.Select(s => s.State.UnitId).Distinct().Order(StringComparer.Ordinal).ToArray() },
                }
            });
        if (batch.BatchCommands.Count > 0) await batch.ExecuteNonQueryAsync(ct);
    }

    private async Task<(BulkAccepted Accepted, string? Digest)?> FindSubmissionAsync(string source, string submissionId, CancellationToken ct)
    {
        await using var command = store.DataSource.CreateCommand(
            "select rows, events, digest from referral_submissions where source = $1 and submission_id = $2");
        command.Parameters.Add(new() { Value = source });
        command.Parameters.Add(new() { Value = submissionId });
        await using var reader = await command.ExecuteReaderAsync(ct);
        // Submissions stored before digests were kept have none: a replay of one is answered as before.
        return await reader.ReadAsync(ct)
            ? (new BulkAccepted(submissionId, reader.GetInt32(0), reader.GetInt32(1)), reader.IsDBNull(2) ? null : reader.GetString(2))
            : null;
    }

    private async Task<Dictionary<string, (ReferralState State, long Version)>> LoadAsync(string[] referralIds, CancellationToken ct)
    {
        await using var command = store.DataSource.CreateCommand("select referral_id, state::text, version from referrals where referral_id = any($1)");
        command.Parameters.Add(new() { Value = referralIds });
        var states = new Dictionary<string, (ReferralState, long)>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            states[reader.GetString(0)] = (JsonSerializer.Deserialize<ReferralState>(reader.GetString(1), ServiceDefaults.Json)!, reader.GetInt64(2));
        return states;
    }

    public async Task<ReferralState?> GetAsync(string referralId, CancellationToken ct) =>
        (await LoadAsync([referralId], ct)).TryGetValue(referralId, out var found) ? found.State : null;
}

using System.Text.Json;
using Icp.EventStore;
using Icp.Hosting;
using Icp.Referrals.Domain;

namespace Icp.Referrals;

public sealed record RecordedStep(long Version, string Event, JsonElement Data, string? SourceSystem, string? Principal, DateTimeOffset RecordedAt);

public sealed record ReferralView(string ReferralId, string UnitId, string Source, string Destination, string Stage, ReferralState State,
    IReadOnlyList<RecordedStep> Steps);

public sealed record ReferralSummary(string ReferralId, string UnitId, string Source, string Destination, DateOnly ReceivedOn, string Stage);

public sealed record SubmissionView(string SubmissionId, string Source, string Status, int Rows, int Events, DateTimeOffset AcceptedAt);

public sealed class ReferralQueries(EventLog store, ReferralService service)
{
    public async Task<ReferralView?> GetAsync(string referralId, CancellationToken ct)
    {
        if (await service.GetAsync(referralId, ct) is not { } state) return null;
        var events = await store.ReadStreamAsync(ReferralService.Stream(referralId), ct);
        var steps = events.Select(e => (Event: e, Metadata: EventLog.MetadataOf(e))).Select(e => new RecordedStep(e.Event.Version,
            e.Event.EventTypeName, JsonSerializer.SerializeToElement(e.Event.Data, e.Event.Data.GetType(), ServiceDefaults.Json),
            e.Metadata.SourceSystem, e.Metadata.Principal, e.Event.Timestamp)).ToList();
        return new ReferralView(state.ReferralId, state.UnitId, state.Source, state.Destination, state.Stage, state, steps);
    }

    /// <summary>Referral rows, oldest first; <paramref name="visibleUnits"/> (null: all) limits them to the caller's units.</summary>
    public async Task<List<ReferralSummary>> ListAsync(string? unitId, string? stage, DateOnly? from, DateOnly? to, int limit,
        string[]? visibleUnits, CancellationToken ct)
    {
        await using var command = store.DataSource.CreateCommand($"""
            select referral_id, unit_id, source, destination, received_on, stage from referrals
            where ($1::text is null or unit_id = $1) and ($2::text is null or stage = $2)
              and ($3::date is null or received_on >= $3) and ($4::date is null or received_on <= $4)
              and ($5::text[] is null or unit_id = any($5))
            order by received_on, referral_id limit {limit}
            """);
        command.Parameters.Add(new() { Value = (object?)unitId ?? DBNull.Value, DataTypeName = "text" });
        command.Parameters.Add(new() { Value = (object?)stage ?? DBNull.Value, DataTypeName = "text" });
        command.Parameters.Add(new() { Value = from.HasValue ? from.Value : DBNull.Value, DataTypeName = "date" });
        command.Parameters.Add(new() { Value = to.HasValue ? to.Value : DBNull.Value, DataTypeName = "date" });
        command.Parameters.Add(new() { Value = (object?)visibleUnits ?? DBNull.Value, DataTypeName = "text[]" });
        var list = new List<ReferralSummary>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            list.Add(new ReferralSummary(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                reader.GetFieldValue<DateOnly>(4), reader.GetString(5)));
        return list;
    }

    /// <summary>
    /// The submissions under this id (one per source that used it), or only the named source's, each with the units it
    /// wrote to (null when accepted before they were kept).
    /// </summary>
    public async Task<List<(SubmissionView Status, string[]? UnitIds)>> GetSubmissionsAsync(string submissionId, string? source,
        CancellationToken ct)
    {
        await using var command = store.DataSource.CreateCommand("""
            select source, rows, events, accepted_at, unit_ids from referral_submissions
            where submission_id = $1 and ($2::text is null or source = $2) order by accepted_at limit 100
            """);
        command.Parameters.Add(new() { Value = submissionId });
        command.Parameters.Add(new() { Value = (object?)source ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        var list = new List<(SubmissionView, string[]?)>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            list.Add((new SubmissionView(submissionId, reader.GetString(0), "accepted", reader.GetInt32(1), reader.GetInt32(2),
                reader.GetFieldValue<DateTimeOffset>(3)), reader.IsDBNull(4) ? null : reader.GetFieldValue<string[]>(4)));
        return list;
    }
}

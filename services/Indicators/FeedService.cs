using Icp.Contracts.Indicators;
using Icp.EventStore;
using Icp.Hosting;
using Icp.Hosting.Messaging;
using Icp.Hosting.Security;
using Icp.Indicators.Domain;
using Npgsql;

namespace Icp.Indicators;

public sealed record FeedAccepted(string SubmissionId, int Rows);

/// <summary>The outcome of a submission: accepted (now or before), refused with errors, refused because the caller may
/// not send it (<see cref="Forbidden"/>, with the rows or series at fault in <see cref="Errors"/>), or in conflict with an
/// earlier submission of the same id and source that carried other content.</summary>
public sealed record FeedResult(FeedAccepted? Accepted, List<ValidationError> Errors, string? Conflict = null, string? Forbidden = null)
{
    public static FeedResult Refused(string detail, List<ValidationError>? errors = null) => new(null, errors ?? [], Forbidden: detail);
}

/// <summary>
/// Stores a whole monthly feed or nothing. The rows whose value differs from the current one become one revision
/// event per series, on the series' stream; the submission's own stream (created once per source and submission id) makes a
/// replay change nothing, and its digest of the rows tells a replay from a different submission under the same id.
/// </summary>
public sealed class FeedService(EventLog store, EventMetadataFactory metadata, UnitSystems unitSystems, TimeProvider clock)
{
    private const int MaxConcurrencyRetries = 5;

    public async Task<FeedResult> SubmitAsync(FeedRequest request, Caller caller, CancellationToken ct,
        IReadOnlyList<ValidationError>? parseErrors = null)
    {
        var (asSource, refusal) = caller.SourceFor(request.Source);
        if (refusal is not null) return FeedResult.Refused(refusal);
        request = request with { Source = asSource };
        var (units, indicators) = await LoadReferenceDataAsync(ct);
        // A unit under another system is answered exactly as an unknown one, so its id does not leak.
        var scope = await unitSystems.ScopeAsync(caller, request.Rows?.Select(r => r?.UnitId).OfType<string>().Distinct(), ct);
        if (!scope.IsEverything) units.RemoveWhere(u => !scope.Includes(u));
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var rejected = parseErrors?.Where(e => e.Row is not null).Select(e => e.Row!.Value).ToHashSet();
        var (rows, errors) = FeedValidation.Validate(request, units, indicators, today, rejected);
        if (parseErrors is { Count: > 0 })
        {
            errors = [.. parseErrors, .. errors];
            errors.Sort((a, b) => (a.Row ?? 0).CompareTo(b.Row ?? 0));
        }
        if (errors.Count > 0) return new FeedResult(null, errors);
        if (FeedAccess.Unregistered(caller, request.Rows!) is { Count: > 0 } unregistered)
            return FeedResult.Refused("The feed has rows this client is not registered for; nothing was stored.", unregistered);

        var (source, submissionId) = (request.Source!, request.SubmissionId!);
        if (!caller.IsOperator && await SeriesOfOtherSourcesAsync(source, rows, ct) is { Count: > 0 } foreign)
            return FeedResult.Refused("The feed revises series that another source sends; an administrator can grant this source " +
                "them (PUT /api/v1/admin/indicators/series-grants/{indicatorId}/{unitId}/{source}). Nothing was stored.", foreign);
        var digest = FeedDigest.Of(rows);
        for (var attempt = 1; ; attempt++)
        {
            // A replay answers as the first time did; the same id with other rows is a conflict, and stores nothing.
            if (await FindSubmissionAsync(source, submissionId, ct) is { } previous)
                return previous.Digest is null || previous.Digest == digest
                    ? new FeedResult(previous.Accepted, [])
                    : new FeedResult(null, [], $"Submission '{submissionId}' of '{source}' was accepted before with other rows. " +
                        "Send a correction under a new submission id; nothing was stored.");
            try
            {
                return new FeedResult(await StoreAsync(source, submissionId, digest, rows, ct), []);
            }
            catch (ConcurrencyException) when (attempt < MaxConcurrencyRetries)
            {
                // Another submission changed one of our series (or stored this one) first: look again.
            }
        }
    }

    private async Task<FeedAccepted> StoreAsync(string source, string submissionId, string digest, List<FeedRow> rows, CancellationToken ct)
    {
        var bySeries = rows.GroupBy(r => (r.IndicatorId, r.UnitId)).ToList();
        var current = await SeriesValues.ReadAsync(store.DataSource, bySeries.Select(g => g.Key).ToList(), ct);
        var newlySent = await MonthsNotYetSentAsync(source, bySeries, ct);
        var changed = rows.Where(r => !current.TryGetValue((r.IndicatorId, r.UnitId), out var series)
                || !series.Months.TryGetValue(r.Period, out var month)
                || !r.SameValueAs(month.Value, month.Numerator, month.Denominator))
            .ToList();
        var eventMetadata = metadata.Create(sourceSystem: source);

        var appends = new List<StreamAppend>
        {
            new(SubmissionStream(source, submissionId), ExpectedVersion.NoStream,
                [new FeedSubmissionAcceptedV1(submissionId, source, rows.Count, changed.Count) { Digest = digest }]),
        };
        var revised = changed.GroupBy(r => (r.IndicatorId, r.UnitId))
            .Select(g => (Before: current.GetValueOrDefault(g.Key) ?? SeriesState.Empty(), Rows: g.OrderBy(r => r.Period, StringComparer.Ordinal).ToArray()))
            .ToArray();
        // One event per series: the months this submission changed.
        foreach (var (before, seriesRows) in revised)
        {
            var (indicatorId, category) = IndicatorSeries.Parse(seriesRows[0].IndicatorId);
            var body = new IndicatorValuesRevisedV2(indicatorId, category, seriesRows[0].UnitId, source, submissionId,
                Array.ConvertAll(seriesRows, r => new MonthRevision(r.Period, r.Value, r.Numerator, r.Denominator)));
            appends.Add(new StreamAppend(SeriesStream(seriesRows[0].IndicatorId, seriesRows[0].UnitId),
                ExpectedVersion.Exactly(before.Version), [body]));
        }

        await store.AppendAsync(appends, eventMetadata, async (connection, tx, token) =>
        {
            var now = await TransactionTimeAsync(connection, tx, token);
            var after = new Dictionary<(string, string), SeriesState>(revised.Length);
            foreach (var (before, seriesRows) in revised)
            {
                var months = new Dictionary<string, MonthValue>(before.Months, StringComparer.Ordinal);
                var version = before.Version + 1;
                foreach (var row in seriesRows)
                    months[row.Period] = new MonthValue(row.Value, row.Numerator, row.Denominator, version, source, submissionId, now);
                after[(seriesRows[0].IndicatorId, seriesRows[0].UnitId)] = new SeriesState(version, months);
            }
            await SeriesValues.ReplaceAsync(connection, tx, after, token);
            await RecordSubmissionAsync(connection, tx, source, submissionId, digest, eventMetadata.Principal, rows,
                changed.Count, newlySent, token);
        }, ct);
        return new FeedAccepted(submissionId, rows.Count);
    }

    public static string SeriesStream(string indicatorId, string unitId) => $"series/{indicatorId}/{unitId}";

    // Submission ids are scoped to their source (both are ids, so '/' cannot occur in either).
    private static string SubmissionStream(string source, string submissionId) => $"submission/{source}/{submissionId}";

    private static async Task<DateTimeOffset> TransactionTimeAsync(NpgsqlConnection connection, NpgsqlTransaction tx, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("select now()", connection, tx);
        return new DateTimeOffset((DateTime)(await command.ExecuteScalarAsync(ct))!, TimeSpan.Zero);
    }

    /// <summary>
    /// Each series' months that this source has not sent before, as one comma-separated string per series (a period has
    /// no comma). A month once sent stays sent, so a look-up outside the transaction can only over-report, and the
    /// upsert merges; series with nothing new are left alone instead of being locked and rewritten.
    /// </summary>
    private async Task<List<(string IndicatorId, string UnitId, string Periods)>> MonthsNotYetSentAsync(string source,
        List<IGrouping<(string IndicatorId, string UnitId), FeedRow>> bySeries, CancellationToken ct)
    {
        var sent = new Dictionary<(string, string), HashSet<string>>();
        await using (var command = store.DataSource.CreateCommand("""
            select indicator_id, unit_id, periods from source_series
            where source = $1 and (indicator_id, unit_id) in (select * from unnest($2::text[], $3::text[]))
            """))
        {
            command.Parameters.Add(new() { Value = source });
            command.Parameters.Add(new() { Value = bySeries.Select(g => g.Key.IndicatorId).ToArray() });
            command.Parameters.Add(new() { Value = bySeries.Select(g => g.Key.UnitId).ToArray() });
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
                sent[(reader.GetString(0), reader.GetString(1))] = new HashSet<string>(reader.GetFieldValue<string[]>(2), StringComparer.Ordinal);
        }
        return bySeries
            .Select(g => (g.Key, New: g.Select(r => r.Period).Where(p => !sent.TryGetValue(g.Key, out var known) || !known.Contains(p)).ToList()))
            .Where(s => s.New.Count > 0)
            .Select(s => (s.Key.IndicatorId, s.Key.UnitId, string.Join(',', s.New.Distinct().Order(StringComparer.Ordinal))))
            .ToList();
    }

    /// <summary>The series of these rows that another source sends and this one has neither sent nor been granted.</summary>
    private async Task<List<ValidationError>> SeriesOfOtherSourcesAsync(string source, List<FeedRow> rows, CancellationToken ct)
    {
        var series = rows.Select(r => (r.IndicatorId, r.UnitId)).Distinct().ToList();
        await using var command = store.DataSource.CreateCommand("""
            select distinct s.indicator_id, s.unit_id from source_series s
            where (s.indicator_id, s.unit_id) in (select * from unnest($2::text[], $3::text[])) and s.source <> $1
              and not exists (select 1 from source_series o
                              where o.source = $1 and o.indicator_id = s.indicator_id and o.unit_id = s.unit_id)
              and not exists (select 1 from series_grants g
                              where g.source = $1 and g.indicator_id = s.indicator_id and g.unit_id = s.unit_id)
            order by 1, 2 limit 100
            """);
        command.Parameters.Add(new() { Value = source });
        command.Parameters.Add(new() { Value = series.Select(s => s.IndicatorId).ToArray() });
        command.Parameters.Add(new() { Value = series.Select(s => s.UnitId).ToArray() });
        var errors = new List<ValidationError>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            errors.Add(new(null, "rows", $"Series {reader.GetString(0)} of unit {reader.GetString(1)} is sent by another source."));
        return errors;
    }

    private static async Task RecordSubmissionAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string source, string submissionId,
        string digest, string? principal, List<FeedRow> rows, int revisions,
        List<(string IndicatorId, string UnitId, string Periods)> newlySent,
        CancellationToken ct)
    {
        await using var batch = new NpgsqlBatch(connection, tx)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand("""
                    insert into submissions (submission_id, source, rows, revisions, principal, digest, unit_ids)
                    values ($1, $2, $3, $4, $5, $6, $7)
                    """)
                {
                    Parameters =
                    {
                        new() { Value = submissionId }, new() { Value = source }, new() { Value = rows.Count },
                        new() { Value = revisions },
                        new() { Value = (object?)principal ?? DBNull.Value }, new() { Value = digest },
                        new() { Value = rows.Select(r => r.UnitId).Distinct().Order(StringComparer.Ordinal).ToArray() },
                    }
                },
                new NpgsqlBatchCommand("""
                    insert into source_series (source, indicator_id, unit_id, periods)
                    select $4, i, u, string_to_array(p, ',') from unnest($1::text[], $2::text[], $3::text[]) as t (i, u, p)
                    on conflict (source, indicator_id, unit_id) do update set periods =
                        array(select distinct x from unnest(source_series.periods || excluded.periods) as x order by x)
                    """)
                {
                    Parameters =
                    {
                        new() { Value = newlySent.Select(s => s.IndicatorId).ToArray() },
                        new() { Value = newlySent.Select(s => s.UnitId).ToArray() },
                        new() { Value = newlySent.Select(s => s.Periods).ToArray() },
                        new() { Value = source },
                    }
                },
            }
        };
        await batch.ExecuteNonQueryAsync(ct);
    }

    private async Task<(FeedAccepted Accepted, string? Digest)?> FindSubmissionAsync(string source, string submissionId, CancellationToken ct)
    {
        await using var command = store.DataSource.CreateCommand("select rows, digest from submissions where source = $1 and submission_id = $2");
        command.Parameters.Add(new() { Value = source });
        command.Parameters.Add(new() { Value = submissionId });
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct)) return null;
        // Submissions stored before digests were kept have none: a replay of one is answered as before.
        return (new FeedAccepted(submissionId, reader.GetInt32(0)), reader.IsDBNull(1) ? null : reader.GetString(1));
    }

    private async Task<(HashSet<string> Units, Dictionary<string, FeedIndicator> Indicators)> LoadReferenceDataAsync(CancellationToken ct)
    {
        var units = new HashSet<string>(StringComparer.Ordinal);
        var indicators = new Dictionary<string, FeedIndicator>(StringComparer.Ordinal);
        await using var batch = store.DataSource.CreateBatch();
        batch.BatchCommands.Add(new NpgsqlBatchCommand("select unit_id from units"));
        batch.BatchCommands.Add(new NpgsqlBatchCommand("""
            select indicator_id, measure,
                   case when jsonb_typeof(data->'categories') = 'array' then array(select jsonb_array_elements_text(data->'categories')) end
            from indicators
            """));
        await using var reader = await batch.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) units.Add(reader.GetString(0));
        await reader.NextResultAsync(ct);
        while (await reader.ReadAsync(ct))
            indicators[reader.GetString(0)] = new FeedIndicator(reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetFieldValue<string[]>(2));
        return (units, indicators);
    }
}


using Icp.Contracts.Indicators;
using Icp.EventStore;
using Icp.Hosting;
using Icp.Hosting.Messaging;
using Icp.Indicators.Domain;
using Npgsql;

namespace Icp.Indicators;

public sealed record FeedAccepted(string SubmissionId, int Rows);

public sealed record FeedResult(FeedAccepted? Accepted, List<ValidationError> Errors);

/// <summary>
/// Stores a whole monthly feed or nothing. Each row whose value differs from the current one becomes a revision
/// event on its series' stream; the submission's own stream (created once) makes a replay change nothing.
/// </summary>
public sealed class FeedService(PostgresEventStore store, EventMetadataFactory metadata, TimeProvider clock)
{
    private const int MaxConcurrencyRetries = 5;

    public async Task<FeedResult> SubmitAsync(FeedRequest request, CancellationToken ct, IReadOnlyList<ValidationError>? parseErrors = null)
    {
        // A replay answers as the first time did, whatever it carries now.
        if (Vocabulary.IsValidId(request.SubmissionId) && await FindSubmissionAsync(request.SubmissionId!, ct) is { } accepted)
            return new FeedResult(accepted, []);

        var (units, measures) = await LoadReferenceDataAsync(ct);
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var rejected = parseErrors?.Where(e => e.Row is not null).Select(e => e.Row!.Value).ToHashSet();
        var (rows, errors) = FeedValidation.Validate(request, units, measures, today, rejected);
        if (parseErrors is { Count: > 0 })
        {
            errors = [.. parseErrors, .. errors];
            errors.Sort((a, b) => (a.Row ?? 0).CompareTo(b.Row ?? 0));
        }
        if (errors.Count > 0) return new FeedResult(null, errors);

        for (var attempt = 1; ; attempt++)
        {
            if (await FindSubmissionAsync(request.SubmissionId!, ct) is { } previous) return new FeedResult(previous, []);
            try
            {
                return new FeedResult(await StoreAsync(request.Source!, request.SubmissionId!, rows, ct), []);
            }
            catch (ConcurrencyException) when (attempt < MaxConcurrencyRetries)
            {
                // Another submission changed one of our series (or stored this one) first: look again.
            }
        }
    }

    private async Task<FeedAccepted> StoreAsync(string source, string submissionId, List<FeedRow> rows, CancellationToken ct)
    {
        // Series that have no stream yet have no current values either: only rows of existing series are looked up.
        var allSeries = rows.Select(r => SeriesStream(r.IndicatorId, r.UnitId)).Distinct().ToArray();
        var versions = await LoadStreamVersionsAsync(allSeries, ct);
        var current = await LoadCurrentAsync(rows.Where(r => versions.ContainsKey(SeriesStream(r.IndicatorId, r.UnitId))).ToList(), ct);
        var changed = rows.Where(r => !current.TryGetValue((r.IndicatorId, r.UnitId, r.Period), out var existing) || !r.SameValueAs(existing.Row))
            .ToList();
        var eventMetadata = metadata.Create(sourceSystem: source);
        var series = changed.GroupBy(r => (r.IndicatorId, r.UnitId)).ToList();

        var appends = new List<StreamAppend>(series.Count + 1)
        {
            new($"submission/{submissionId}", "submission", ExpectedVersion.NoStream,
                [IntegrationEvents.ToNewEvent(new FeedSubmissionAcceptedV1(submissionId, source, rows.Count, changed.Count), eventMetadata)]),
        };
        var revisions = new List<(FeedRow Row, long Revision)>(changed.Count);
        foreach (var group in series)
        {
            var streamId = SeriesStream(group.Key.IndicatorId, group.Key.UnitId);
            var version = versions.GetValueOrDefault(streamId);
            var events = new List<NewEvent>();
            foreach (var row in group.OrderBy(r => r.Period, StringComparer.Ordinal))
            {
                events.Add(IntegrationEvents.ToNewEvent(new IndicatorValueRevisedV1(row.IndicatorId, row.UnitId, row.Period,
                    row.Value, row.Numerator, row.Denominator, source, submissionId), eventMetadata));
                revisions.Add((row, version + events.Count));
            }
            appends.Add(new StreamAppend(streamId, "series", ExpectedVersion.Exactly(version), events));
        }

        await store.AppendAsync(appends, (connection, tx, token) =>
            UpdateInlineAsync(connection, tx, source, submissionId, eventMetadata.Principal, rows, revisions, token), ct);
        return new FeedAccepted(submissionId, rows.Count);
    }

    public static string SeriesStream(string indicatorId, string unitId) => $"series/{indicatorId}/{unitId}";

    private static async Task UpdateInlineAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string source, string submissionId,
        string? principal, List<FeedRow> rows, List<(FeedRow Row, long Revision)> revisions, CancellationToken ct)
    {
        await using var batch = new NpgsqlBatch(connection, tx)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand("insert into submissions (submission_id, source, rows, revisions, principal) values ($1, $2, $3, $4, $5)")
                {
                    Parameters =
                    {
                        new() { Value = submissionId }, new() { Value = source }, new() { Value = rows.Count }, new() { Value = revisions.Count },
                        new() { Value = (object?)principal ?? DBNull.Value },
                    }
                },
                new NpgsqlBatchCommand("""
                    insert into source_series (source, indicator_id, unit_id, periods)
                    select $4, i, u, array_agg(p order by p) from unnest($1::text[], $2::text[], $3::text[]) as t (i, u, p) group by i, u
                    on conflict (source, indicator_id, unit_id) do update set periods =
                        (select array_agg(distinct x order by x) from unnest(source_series.periods || excluded.periods) as x)
                    """)
                {
                    Parameters =
                    {
                        new() { Value = rows.Select(r => r.IndicatorId).ToArray() },
                        new() { Value = rows.Select(r => r.UnitId).ToArray() },
                        new() { Value = rows.Select(r => r.Period).ToArray() },
                        new() { Value = source },
                    }
                },
                new NpgsqlBatchCommand("""
                    insert into current_values (indicator_id, unit_id, period, value, numerator, denominator, revision, source, submission_id)
                    select i, u, p, v, n, d, r, $8, $9 from unnest($1::text[], $2::text[], $3::text[], $4::float8[], $5::float8[], $6::float8[], $7::bigint[])
                        as t (i, u, p, v, n, d, r)
                    on conflict (indicator_id, unit_id, period) do update set value = excluded.value, numerator = excluded.numerator,
                        denominator = excluded.denominator, revision = excluded.revision, source = excluded.source,
                        submission_id = excluded.submission_id, recorded_at = now()
                    """)
                {
                    Parameters =
                    {
                        new() { Value = revisions.Select(r => r.Row.IndicatorId).ToArray() },
                        new() { Value = revisions.Select(r => r.Row.UnitId).ToArray() },
                        new() { Value = revisions.Select(r => r.Row.Period).ToArray() },
                        new() { Value = revisions.Select(r => r.Row.Value).ToArray() },
                        new() { Value = revisions.Select(r => r.Row.Numerator).ToArray() },
                        new() { Value = revisions.Select(r => r.Row.Denominator).ToArray() },
                        new() { Value = revisions.Select(r => r.Revision).ToArray() },
                        new() { Value = source },
                        new() { Value = submissionId },
                    }
                },
            }
        };
        await batch.ExecuteNonQueryAsync(ct);
    }

    private async Task<FeedAccepted?> FindSubmissionAsync(string submissionId, CancellationToken ct)
    {
        await using var command = store.DataSource.CreateCommand("select rows from submissions where submission_id = $1");
        command.Parameters.Add(new() { Value = submissionId });
        return await command.ExecuteScalarAsync(ct) is int rows ? new FeedAccepted(submissionId, rows) : null;
    }

    private async Task<(HashSet<string> Units, Dictionary<string, string> Measures)> LoadReferenceDataAsync(CancellationToken ct)
    {
        var units = new HashSet<string>(StringComparer.Ordinal);
        var measures = new Dictionary<string, string>(StringComparer.Ordinal);
        await using var batch = store.DataSource.CreateBatch();
        batch.BatchCommands.Add(new NpgsqlBatchCommand("select unit_id from units"));
        batch.BatchCommands.Add(new NpgsqlBatchCommand("select indicator_id, measure from indicators"));
        await using var reader = await batch.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) units.Add(reader.GetString(0));
        await reader.NextResultAsync(ct);
        while (await reader.ReadAsync(ct)) measures[reader.GetString(0)] = reader.GetString(1);
        return (units, measures);
    }

    private async Task<Dictionary<(string, string, string), (FeedRow Row, long Revision)>> LoadCurrentAsync(List<FeedRow> rows, CancellationToken ct)
    {
        if (rows.Count == 0) return [];
        await using var command = store.DataSource.CreateCommand("""
            select c.indicator_id, c.unit_id, c.period, c.value, c.numerator, c.denominator, c.revision
            from current_values c join unnest($1::text[], $2::text[], $3::text[]) as k (i, u, p)
              on c.indicator_id = k.i and c.unit_id = k.u and c.period = k.p
            """);
        command.Parameters.Add(new() { Value = rows.Select(r => r.IndicatorId).ToArray() });
        command.Parameters.Add(new() { Value = rows.Select(r => r.UnitId).ToArray() });
        command.Parameters.Add(new() { Value = rows.Select(r => r.Period).ToArray() });
        var current = new Dictionary<(string, string, string), (FeedRow, long)>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var row = new FeedRow(reader.GetString(1), reader.GetString(0), reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetDouble(3),
                reader.IsDBNull(4) ? null : reader.GetDouble(4),
                reader.IsDBNull(5) ? null : reader.GetDouble(5));
            current[(row.IndicatorId, row.UnitId, row.Period)] = (row, reader.GetInt64(6));
        }
        return current;
    }

    private async Task<Dictionary<string, long>> LoadStreamVersionsAsync(string[] streamIds, CancellationToken ct)
    {
        await using var command = store.DataSource.CreateCommand("select stream_id, version from streams where stream_id = any($1)");
        command.Parameters.Add(new() { Value = streamIds });
        var versions = new Dictionary<string, long>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) versions[reader.GetString(0)] = reader.GetInt64(1);
        return versions;
    }
}

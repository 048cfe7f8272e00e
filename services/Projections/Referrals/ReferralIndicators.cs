using System.Globalization;
using Icp.Contracts.Indicators;
using Icp.Contracts.Referrals;
using Icp.EventStore;
using Icp.Hosting;
using Icp.Hosting.Messaging;
using Npgsql;
using Icp.Projections.Spc;

namespace Icp.Projections.Referrals;

/// <summary>
/// One row per referral, each lifecycle step filling its own columns (so arrival order does not matter), and the
/// monthly indicators derived from them, charted like any other indicator under ids starting "referrals.".
/// </summary>
public sealed class ReferralReadModel() : SqlSchema(Ddl), IReadModelProjection
{
    public string Name => "referrals";

    public IReadOnlyList<string> Tables { get; } = ["rm_referrals"];

    private const string Ddl = """
        create table if not exists rm_referrals (
            referral_id        text primary key,
            unit_id            text not null,
            source             text not null,
            destination        text not null,
            received_on        date not null,
            triaged_on         date,
            outcome            text,
            redirected_to      text,
            assessed_on        date,
            days_to_assessment int,
            started_on         date,
            days_to_start      int,
            discharged_on      date,
            discharge_reason   text
        );
        create index if not exists rm_referrals_unit on rm_referrals (unit_id, received_on);
        """;

    // A referral as the events of one page leave it: its context, and each step's columns once that step is seen.
    private sealed class Row(string id, string unit, string source, string destination, DateOnly received)
    {
        public readonly string Id = id, Unit = unit, Source = source, Destination = destination;
        public readonly DateOnly Received = received;
        public bool Triaged, Assessed, Started, Discharged;
        public DateOnly? TriagedOn, AssessedOn, StartedOn, DischargedOn;
        public string? Outcome, RedirectedTo, DischargeReason;
        public int? DaysToAssessment, DaysToStart;
    }

    /// <summary>
    /// Applies the page as two statements, however many steps it holds: the referrals not yet known are inserted with
    /// their context, then each step seen sets its own columns (a later event of the page over an earlier one, as
    /// applying them one by one would). A page of a bulk upload holds up to 2,000 steps: one statement each was the
    /// runner's slowest part.
    /// </summary>
    public async Task ApplyAsync(NpgsqlConnection connection, NpgsqlTransaction tx, IReadOnlyList<RecordedEvent> events, CancellationToken ct)
    {
        var rows = new Dictionary<string, Row>(StringComparer.Ordinal);
        Row RowOf(string id, string unit, string source, string destination, DateOnly received) =>
            rows.TryGetValue(id, out var row) ? row : rows[id] = new Row(id, unit, source, destination, received);
        foreach (var e in events)
        {
            switch (e.EventType)
            {
                case nameof(ReferralReceivedV1):
                    var r = IntegrationEvents.Deserialize<ReferralReceivedV1>(e);
                    RowOf(r.ReferralId, r.UnitId, r.Source, r.Destination, r.ReceivedOn);
                    break;
                case nameof(ReferralTriagedV1):
                    var t = IntegrationEvents.Deserialize<ReferralTriagedV1>(e);
                    var triaged = RowOf(t.ReferralId, t.UnitId, t.Source, t.Destination, t.ReceivedOn);
                    (triaged.Triaged, triaged.TriagedOn, triaged.Outcome, triaged.RedirectedTo) =
                        (true, t.TriagedOn, t.Outcome, t.RedirectedTo);
                    break;
                case nameof(ReferralAssessedV1):
                    var a = IntegrationEvents.Deserialize<ReferralAssessedV1>(e);
                    var assessed = RowOf(a.ReferralId, a.UnitId, a.Source, a.Destination, a.ReceivedOn);
                    (assessed.Assessed, assessed.AssessedOn, assessed.DaysToAssessment) =
                        (true, a.AssessedOn, a.DaysFromReferral);
                    break;
                case nameof(ReferralServiceStartedV1):
                    var s = IntegrationEvents.Deserialize<ReferralServiceStartedV1>(e);
                    var started = RowOf(s.ReferralId, s.UnitId, s.Source, s.Destination, s.ReceivedOn);
                    (started.Started, started.StartedOn, started.DaysToStart) =
                        (true, s.StartedOn, s.DaysFromAssessment);
                    break;
                case nameof(ReferralDischargedV1):
                    var d = IntegrationEvents.Deserialize<ReferralDischargedV1>(e);
                    var discharged = RowOf(d.ReferralId, d.UnitId, d.Source, d.Destination, d.ReceivedOn);
                    (discharged.Discharged, discharged.DischargedOn, discharged.DischargeReason) = (true, d.DischargedOn, d.Reason);
                    break;
            }
        }
        if (rows.Count == 0) return;
        var all = rows.Values.ToList();
        await using var batch = new NpgsqlBatch(connection, tx)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand("""
                    insert into rm_referrals (referral_id, unit_id, source, destination, received_on)
                    select * from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::date[])
                    on conflict (referral_id) do nothing
                    """)
                {
                    Parameters =
                    {
                        new() { Value = all.Select(r => r.Id).ToArray() },
                        new() { Value = all.Select(r => r.Unit).ToArray() },
                        new() { Value = all.Select(r => r.Source).ToArray() },
                        new() { Value = all.Select(r => r.Destination).ToArray() },
                        new() { Value = all.Select(r => r.Received).ToArray() },
                    },
                },
                new NpgsqlBatchCommand("""
                    update rm_referrals r set
                        triaged_on = case when u.triaged then u.triaged_on else r.triaged_on end,
                        outcome = case when u.triaged then u.outcome else r.outcome end,
                        redirected_to = case when u.triaged then u.redirected_to else r.redirected_to end,
                        assessed_on = case when u.assessed then u.assessed_on else r.assessed_on end,
                        days_to_assessment = case when u.assessed then u.days_to_assessment else r.days_to_assessment end,
                        started_on = case when u.started then u.started_on else r.started_on end,
                        days_to_start = case when u.started then u.days_to_start else r.days_to_start end,
                        discharged_on = case when u.discharged then u.discharged_on else r.discharged_on end,
                        discharge_reason = case when u.discharged then u.discharge_reason else r.discharge_reason end
                    from unnest($1::text[], $2::bool[], $3::date[], $4::text[], $5::text[], $6::bool[], $7::date[], $8::int[],
                                $9::bool[], $10::date[], $11::int[], $12::bool[], $13::date[], $14::text[])
                        as u(referral_id, triaged, triaged_on, outcome, redirected_to, assessed, assessed_on, days_to_assessment,
                             started, started_on, days_to_start, discharged, discharged_on, discharge_reason)
                    where r.referral_id = u.referral_id
                    """)
                {
                    Parameters =
                    {
                        new() { Value = all.Select(r => r.Id).ToArray() },
                        new() { Value = all.Select(r => r.Triaged).ToArray() },
                        new() { Value = all.Select(r => r.TriagedOn).ToArray() },
                        new() { Value = all.Select(r => r.Outcome).ToArray() },
                        new() { Value = all.Select(r => r.RedirectedTo).ToArray() },
                        new() { Value = all.Select(r => r.Assessed).ToArray() },
                        new() { Value = all.Select(r => r.AssessedOn).ToArray() },
                        new() { Value = all.Select(r => r.DaysToAssessment).ToArray() },
                        new() { Value = all.Select(r => r.Started).ToArray() },
                        new() { Value = all.Select(r => r.StartedOn).ToArray() },
                        new() { Value = all.Select(r => r.DaysToStart).ToArray() },
                        new() { Value = all.Select(r => r.Discharged).ToArray() },
                        new() { Value = all.Select(r => r.DischargedOn).ToArray() },
                        new() { Value = all.Select(r => r.DischargeReason).ToArray() },
                    },
                },
            },
        };
        await batch.ExecuteNonQueryAsync(ct);
    }
}

/// <summary>The monthly indicators derived from referral records, for one unit.</summary>
public sealed class ReferralIndicatorQueries(NpgsqlDataSource dataSource)
{
    public const string Prefix = "referrals.";

    /// <summary>The definition of a derived indicator id, or null when the id is not one.</summary>
    public static IndicatorDefinedV1? Define(string indicatorId)
    {
        IndicatorDefinedV1 Make(string name, string measure, string improvement, string chart) =>
            new(indicatorId, name, "Referrals (derived)", measure, improvement, null, chart, measure == "proportion" ? "%" : null, null);
        return indicatorId switch
        {
            "referrals.in" => Make("Referrals in", "count", "neutral", "xmr"),
            "referrals.inappropriate" => Make("Inappropriate referrals (declined at triage)", "proportion", "decrease", "p"),
            "referrals.days-to-assessment" => Make("Days from referral to assessment (mean)", "mean", "decrease", "xmr"),
            "referrals.days-to-start" => Make("Days from assessment to service start (mean)", "mean", "decrease", "xmr"),
            "referrals.caseload" => Make("Active caseload at month end", "count", "neutral", "xmr"),
            _ when Suffix(indicatorId, "referrals.in.source.") is { } s => Make($"Referrals in from {s}", "count", "neutral", "xmr"),
            _ when Suffix(indicatorId, "referrals.share.source.") is { } s => Make($"Share of the month's referrals from {s}", "proportion", "neutral", "p"),
            _ when Suffix(indicatorId, "referrals.out.destination.") is { } d => Make($"Referrals redirected to {d}", "count", "neutral", "xmr"),
            _ => null,
        };
    }

    private static string? Suffix(string id, string prefix) => id.StartsWith(prefix, StringComparison.Ordinal) && id.Length > prefix.Length ? id[prefix.Length..] : null;

    // Months run from the unit's first referral to its last event; a month with nothing to count is a zero, not a gap.
    private const string Months = """
        with bounds as (select date_trunc('month', min(received_on)) first, date_trunc('month', greatest(max(received_on),
                               coalesce(max(discharged_on), max(received_on)), coalesce(max(triaged_on), max(received_on)))) last
                        from rm_referrals where unit_id = $1),
             months as (select generate_series(first, last, interval '1 month') m from bounds where first is not null)
        """;

    // The referrals as known at $3: each step's columns from its own event, as the read model sets them. Named like the
    // read model's table, so the same queries read either.
    private const string ReferralsAsOf = """
        with rm_referrals as (
            select data->>'referralId' as referral_id, min(data->>'unitId') as unit_id, min(data->>'source') as source,
                   min(data->>'destination') as destination, min((data->>'receivedOn')::date) as received_on,
                   max((data->>'triagedOn')::date) filter (where type = 'ReferralTriagedV1') as triaged_on,
                   max(data->>'outcome') filter (where type = 'ReferralTriagedV1') as outcome,
                   max(data->>'redirectedTo') filter (where type = 'ReferralTriagedV1') as redirected_to,
                   max((data->>'assessedOn')::date) filter (where type = 'ReferralAssessedV1') as assessed_on,
                   max((data->>'daysFromReferral')::int) filter (where type = 'ReferralAssessedV1') as days_to_assessment,
                   max((data->>'startedOn')::date) filter (where type = 'ReferralServiceStartedV1') as started_on,
                   max((data->>'daysFromAssessment')::int) filter (where type = 'ReferralServiceStartedV1') as days_to_start,
                   max((data->>'dischargedOn')::date) filter (where type = 'ReferralDischargedV1') as discharged_on,
                   max(data->>'reason') filter (where type = 'ReferralDischargedV1') as discharge_reason
            from mt_events
            where type in ('ReferralReceivedV1', 'ReferralTriagedV1', 'ReferralAssessedV1', 'ReferralServiceStartedV1', 'ReferralDischargedV1')
              and data->>'unitId' = $1 and coalesce((headers->>'source-recorded-at')::timestamptz, timestamp) <= $3
            group by 1)
        """;

    /// <summary>The monthly values of a derived indicator; with <paramref name="asOf"/>, from the referral events recorded by then.</summary>
    public async Task<List<MonthlyValue>> ValuesAsync(string indicatorId, string unitId, DateTimeOffset? asOf, CancellationToken ct)
    {
        string? key = null;
        var sql = indicatorId switch
        {
            "referrals.in" => $"{Months} select m, (select count(*) from rm_referrals r where r.unit_id = $1 and date_trunc('month', r.received_on) = m), null, null from months",
            "referrals.inappropriate" => """
                select date_trunc('month', triaged_on), null, count(*) filter (where outcome = 'declined_inappropriate'), count(*)
                from rm_referrals where unit_id = $1 and triaged_on is not null group by 1
                """,
            "referrals.days-to-assessment" => "select date_trunc('month', assessed_on), avg(days_to_assessment), null, null from rm_referrals where unit_id = $1 and assessed_on is not null group by 1",
            "referrals.days-to-start" => "select date_trunc('month', started_on), avg(days_to_start), null, null from rm_referrals where unit_id = $1 and started_on is not null group by 1",
            "referrals.caseload" => $"""
                {Months} select m, (select count(*) from rm_referrals r where r.unit_id = $1 and r.started_on < m + interval '1 month'
                                      and (r.discharged_on is null or r.discharged_on >= m + interval '1 month')), null, null from months
                """,
            _ when Suffix(indicatorId, "referrals.in.source.") is { } s => Keyed(s,
                $"{Months} select m, (select count(*) from rm_referrals r where r.unit_id = $1 and r.source = $2 and date_trunc('month', r.received_on) = m), null, null from months"),
            _ when Suffix(indicatorId, "referrals.share.source.") is { } s => Keyed(s, $"""
                {Months} select m, null, (select count(*) from rm_referrals r where r.unit_id = $1 and r.source = $2 and date_trunc('month', r.received_on) = m),
                                 (select count(*) from rm_referrals r where r.unit_id = $1 and date_trunc('month', r.received_on) = m) from months
                """),
            _ when Suffix(indicatorId, "referrals.out.destination.") is { } d => Keyed(d, $"""
                {Months} select m, (select count(*) from rm_referrals r where r.unit_id = $1 and r.outcome = 'redirected' and r.redirected_to = $2
                                      and date_trunc('month', r.triaged_on) = m), null, null from months
                """),
            _ => throw new ArgumentException($"'{indicatorId}' is not a derived referral indicator."),
        };
        string Keyed(string value, string text) { key = value; return text; }

        await using var command = dataSource.CreateCommand($"""
            {(asOf is null ? "" : ReferralsAsOf)}
            select to_char(t.m, 'YYYY-MM'), t.v::float8, t.n::float8, t.d::float8 from ({sql}) as t (m, v, n, d) order by 1
            """);
        command.Parameters.Add(new() { Value = unitId });
        command.Parameters.Add(new() { Value = (object?)key ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        if (asOf is not null) command.Parameters.Add(new() { Value = asOf.Value.ToUniversalTime() });
        var values = new List<MonthlyValue>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            values.Add(new MonthlyValue(reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetDouble(1),
                reader.IsDBNull(2) ? null : reader.GetDouble(2), reader.IsDBNull(3) ? null : reader.GetDouble(3)));
        return values;
    }

    /// <summary>The derived indicators available for a unit: the fixed ones, then per source (the ten largest by share first) and destination.</summary>
    public async Task<List<IndicatorDefinedV1>> ListAsync(string unitId, CancellationToken ct)
    {
        var ids = new List<string> { "referrals.in", "referrals.inappropriate", "referrals.days-to-assessment", "referrals.days-to-start", "referrals.caseload" };
        await using var command = dataSource.CreateCommand("""
            select 'source', source, count(*) from rm_referrals where unit_id = $1 group by source
            union all
            select 'destination', redirected_to, count(*) from rm_referrals where unit_id = $1 and outcome = 'redirected' and redirected_to is not null group by redirected_to
            order by 1 desc, 3 desc, 2
            """);
        command.Parameters.Add(new() { Value = unitId });
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var (kind, name) = (reader.GetString(0), reader.GetString(1));
            if (kind == "source") ids.AddRange([$"referrals.in.source.{name}", $"referrals.share.source.{name}"]);
            else ids.Add($"referrals.out.destination.{name}");
        }
        return ids.Select(id => Define(id)!).ToList();
    }
}

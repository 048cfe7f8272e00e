namespace Icp.DemoData;

/// <summary>
/// The pseudonymous referral records behind the referral indicators, sent as bulk submissions (one per neighbourhood and
/// year, each referral's steps in order). Submission ids carry the last month, so a later load sends the new steps only
/// as changes: steps already recorded alike change nothing.
/// </summary>
public sealed class ReferralsDemo(DateOnly today) : IDemoSection
{
    public string Name => "referrals";

    public async Task LoadAsync(DemoClient client)
    {
        var lastMonth = DemoOrganisation.LastFullMonth(today);
        // Steps up to the end of the last full month: a run later in the same month sends the same submissions again.
        var referrals = DemoReferrals.Generate(DemoOrganisation.FirstMonth, lastMonth, lastMonth.AddMonths(1).AddDays(-1));
        foreach (var group in referrals.GroupBy(r => (r.UnitId, r.ReceivedOn.Year)))
        {
            var rows = group.SelectMany(Steps).ToList();
            await client.As("referral-system", "referrals:write").PostAsync("/api/v1/referrals/bulk", new
            {
                submissionId = $"demo-referrals-{group.Key.UnitId}-{group.Key.Year}-to-{lastMonth:yyyy-MM}",
                source = "referral-system",
                rows,
            });
            Console.WriteLine($"[demo]   {group.Key.UnitId} {group.Key.Year}: {group.Count()} referrals, {rows.Count} steps");
        }
    }

    private static IEnumerable<object> Steps(DemoReferral r)
    {
        yield return new { referralId = r.ReferralId, step = "received", date = Day(r.ReceivedOn), unitId = r.UnitId, source = r.Source, destination = r.Destination };
        if (r.TriagedOn is { } triaged)
            yield return new { referralId = r.ReferralId, step = "triaged", date = Day(triaged), outcome = r.Outcome, redirectedTo = r.RedirectedTo };
        if (r.AssessedOn is { } assessed) yield return new { referralId = r.ReferralId, step = "assessed", date = Day(assessed) };
        if (r.StartedOn is { } started) yield return new { referralId = r.ReferralId, step = "service_started", date = Day(started) };
        if (r.DischargedOn is { } discharged)
            yield return new { referralId = r.ReferralId, step = "discharged", date = Day(discharged), reason = r.DischargeReason };
    }

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd");
}

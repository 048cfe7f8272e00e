namespace Icp.DemoData;

/// <summary>One synthetic, pseudonymous referral and the dates of the steps it reached (null: not (yet) reached).</summary>
public sealed record DemoReferral(string ReferralId, string UnitId, string Source, string Destination, DateOnly ReceivedOn,
    DateOnly? TriagedOn, string? Outcome, string? RedirectedTo, DateOnly? AssessedOn, DateOnly? StartedOn, DateOnly? DischargedOn,
    string? DischargeReason);

/// <summary>
/// The demo's referrals, generated deterministically per (neighbourhood, month) so that earlier months never change when
/// the demo is loaded again later. About 120 a month per neighbourhood with a winter rise. After East's go-live its
/// inappropriate referrals fall (about 15% to 6%) and its waits shorten: a change unique to the intervention site.
/// Steps dated after <c>lastDay</c> are left out, so recent referrals are still open.
/// </summary>
public static class DemoReferrals
{
    public static readonly (string Code, double Weight)[] Sources =
    [
        ("gp", 30), ("hospital-discharge", 18), ("district-nursing", 12), ("social-care", 10), ("self-family", 8),
        ("mental-health", 6), ("housing", 5), ("vcs", 4), ("emergency-services", 3), ("pharmacy", 2), ("police-probation", 1), ("community-health", 1),
    ];

    public static readonly (string Code, double Weight)[] Destinations =
        [("district-nursing", 35), ("reablement", 25), ("social-care", 20), ("therapy", 10), ("mental-health", 5), ("vcs", 5)];

    private static readonly string[] RedirectTargets = ["housing", "vcs", "mental-health", "gp", "acute-hospital"];

    public static List<DemoReferral> Generate(DateOnly firstMonth, DateOnly lastMonth, DateOnly lastDay)
    {
        var referrals = new List<DemoReferral>();
        foreach (var (unit, unitIndex) in DemoOrganisation.Neighbourhoods.Select((u, i) => (u.Id, i)))
            for (var month = firstMonth; month <= lastMonth; month = month.AddMonths(1))
            {
                var random = new Random(1_000_000 * (unitIndex + 1) + 100 * month.Year + month.Month);
                var live = unit == DemoOrganisation.InterventionUnit && month >= DemoOrganisation.GoLive;
                var winter = month.Month is 12 or 1 or 2 ? 1.12 : 1.0;
                var count = (int)Math.Round((100 + 10 * unitIndex) * winter + random.Next(-12, 13));
                for (var n = 1; n <= count; n++)
                    referrals.Add(One(random, unit, month, n, live, lastDay));
            }
        return referrals;
    }

    private static DemoReferral One(Random random, string unit, DateOnly month, int n, bool live, DateOnly lastDay)
    {
        var id = $"R-{unit}-{month:yyMM}-{n:000}";
        var received = month.AddDays(random.Next(0, DateTime.DaysInMonth(month.Year, month.Month)));
        var source = Pick(random, Sources);
        var destination = Pick(random, Destinations);
        var triaged = received.AddDays(random.Next(0, 4));
        var roll = random.NextDouble();
        var inappropriateShare = live ? 0.06 : 0.15;
        var outcome = roll < inappropriateShare ? "declined_inappropriate" : roll < inappropriateShare + 0.08 ? "redirected" : "accepted";
        var redirectedTo = outcome == "redirected" ? RedirectTargets[random.Next(RedirectTargets.Length)] : null;
        DateOnly? assessed = null, started = null, discharged = null;
        string? reason = null;
        if (outcome == "accepted")
        {
            assessed = triaged.AddDays(live ? random.Next(2, 9) : random.Next(4, 19));
            var starts = random.NextDouble() < 0.85;
            if (starts) started = assessed.Value.AddDays(live ? random.Next(1, 6) : random.Next(2, 12));
            discharged = (started ?? assessed.Value).AddDays(starts ? random.Next(14, 110) : random.Next(1, 5));
            reason = random.NextDouble() < (live ? 0.10 : 0.16) ? "negative" : "positive";
        }
        // Keep only what has happened by the last day.
        if (triaged > lastDay) return new(id, unit, source, destination, received, null, null, null, null, null, null, null);
        if (assessed > lastDay) (assessed, started, discharged, reason) = (null, null, null, null);
        if (started > lastDay) (started, discharged, reason) = (null, null, null);
        if (discharged > lastDay) (discharged, reason) = (null, null);
        return new(id, unit, source, destination, received, triaged, outcome, redirectedTo, assessed, started, discharged, reason);
    }

    private static string Pick(Random random, (string Code, double Weight)[] choices)
    {
        var total = choices.Sum(c => c.Weight);
        var x = random.NextDouble() * total;
        foreach (var (code, weight) in choices)
        {
            if (x < weight) return code;
            x -= weight;
        }
        return choices[^1].Code;
    }
}

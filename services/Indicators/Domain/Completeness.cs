using Icp.Hosting.Intake;

namespace Icp.Indicators.Domain;

public sealed record CompletenessEntry(string Source, string UnitId, string IndicatorId, string FirstPeriod, string LastPeriod,
    string? LastDuePeriod, int Expected, int Received, IReadOnlyList<string> Missing, IReadOnlyList<string> Overdue, string Status);

/// <summary>
/// Which months a source owes. A (source, unit, indicator) combination is expected monthly from the first month the
/// source sent for it. Month M is due on <c>dueDay</c> of month M+1 and overdue once that day has passed. A month without a value that lies between the first
/// and the latest month received is <em>missing</em> (a gap); one after the latest received whose due date has passed is
/// <em>overdue</em>. Status: complete | missing | overdue (overdue wins when both apply).
/// </summary>
public static class Completeness
{
    public static CompletenessEntry Assess(string source, string unitId, string indicatorId, IReadOnlyCollection<string> receivedPeriods,
        DateOnly asOf, int dueDay)
    {
        var received = receivedPeriods.Select(Months.Parse).Distinct().Order().ToList();
        if (received.Count == 0) throw new ArgumentException("A combination needs at least one received month.", nameof(receivedPeriods));
        var first = received[0];
        var last = received[^1];
        var lastDue = LastDueMonth(asOf, dueDay);
        var have = received.ToHashSet();

        var missing = new List<string>();
        for (var m = first; m < last; m = m.AddMonths(1))
            if (!have.Contains(m)) missing.Add(Months.Format(m));
        var overdue = new List<string>();
        for (var m = last.AddMonths(1); m <= lastDue; m = m.AddMonths(1)) overdue.Add(Months.Format(m));

        var expectedThrough = lastDue > last ? lastDue : last;
        var expected = (expectedThrough.Year - first.Year) * 12 + expectedThrough.Month - first.Month + 1;
        var status = overdue.Count > 0 ? "overdue" : missing.Count > 0 ? "missing" : "complete";
        return new CompletenessEntry(source, unitId, indicatorId, Months.Format(first), Months.Format(last),
            lastDue >= first ? Months.Format(lastDue) : null, expected, received.Count, missing, overdue, status);
    }

    /// <summary>The latest month whose due date (dueDay of the following month) lies before <paramref name="asOf"/>.</summary>
    public static DateOnly LastDueMonth(DateOnly asOf, int dueDay)
    {
        var previous = new DateOnly(asOf.Year, asOf.Month, 1).AddMonths(-1);
        return asOf.Day > dueDay ? previous : previous.AddMonths(-1);
    }
}

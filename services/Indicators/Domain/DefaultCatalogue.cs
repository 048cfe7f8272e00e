namespace Icp.Indicators.Domain;

/// <summary>
/// The 18 signals one evaluation of integrated neighbourhood teams monitored (DOMAIN.md), as indicator definitions.
/// Loading the catalogue creates the ones that do not exist yet and leaves existing ones (possibly edited) alone.
/// </summary>
public static class DefaultCatalogue
{
    public sealed record Entry(string IndicatorId, IndicatorRequest Definition);

    /// <summary>The incident types most local reporting systems share; each is a series of incidents-by-type.</summary>
    public static readonly List<string> IncidentTypes =
        ["falls", "medication", "pressure-ulcers", "violence-aggression", "information-governance", "other"];

    public static readonly IReadOnlyList<Entry> Indicators =
    [
        Count("staff-contacts", "Contacts staff have with patients", "System flow", "neutral", "contacts"),
        Count("referrals-in", "Referrals into service (all sources)", "System flow", "neutral", "referrals"),
        Count("referrals-out", "Referrals from service (all destinations)", "System flow", "neutral", "referrals"),
        Count("incidents-by-type", "Incident reports by type", "System flow", "neutral", "incidents", IncidentTypes),
        Mean("staff-caseload", "Average staff caseload", "System flow", "neutral", "residents per staff member"),
        Proportion("long-term-support", "Residents receiving a long-term package of support", "System flow", "decrease", null),
        Proportion("small-care-package", "Residents receiving a small package of care", "System flow", "neutral", null),
        Proportion("contacts-seen", "Attempted contacts where the resident was seen (non-access visits)", "Efficiency", "increase", 0.9),
        Proportion("negative-discharges", "Discharges for negative reasons (inappropriate discharge)", "Efficiency", "decrease", null),
        Proportion("inappropriate-referrals", "Inappropriate referrals", "Efficiency", "decrease", 0.1),
        Proportion("reablement", "Successful reablement", "Efficiency", "increase", 0.75),
        Proportion("reviews-completed", "Review outturns completed", "Efficiency", "increase", 0.9),
        Proportion("sickness-days", "Contracted days lost to sickness", "Culture", "decrease", 0.04),
        Proportion("staff-turnover", "Staff turnover", "Culture", "decrease", null),
        Count("compliments-complaints", "Compliments and complaints", "Experience", "neutral", "items"),
        Proportion("fft-positive", "Friends and Family Test positive", "Experience", "increase", 0.9),
        Count("incidents", "Incident reports (all)", "Safety", "neutral", "incidents"),
        Count("safeguarding-alerts", "Safeguarding alerts", "Safety", "neutral", "alerts"),
    ];

    private static Entry Count(string id, string name, string domain, string improvement, string unitLabel, List<string>? categories = null) =>
        new(id, new IndicatorRequest(name, domain, "count", improvement, null, "xmr", unitLabel, null, Categories: categories));

    private static Entry Mean(string id, string name, string domain, string improvement, string unitLabel) =>
        new(id, new IndicatorRequest(name, domain, "mean", improvement, null, "xmr", unitLabel, null));

    private static Entry Proportion(string id, string name, string domain, string improvement, double? target) =>
        new(id, new IndicatorRequest(name, domain, "proportion", improvement, target, "p", "%", null));
}

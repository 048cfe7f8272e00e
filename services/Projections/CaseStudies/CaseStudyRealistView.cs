using Icp.Contracts.CaseStudies;

namespace Icp.Projections.CaseStudies;

public sealed record RealistCmocView(string RecordId, string RecordTitle, string Context, IReadOnlyList<string> EnablingContexts,
    IReadOnlyList<string> ConstrainingContexts, string Mechanism, string Outcome, IReadOnlyList<EvidenceSource> Evidence);

public sealed record RealistOutcomeView(string Name, IReadOnlyList<string> Descriptions, IReadOnlyList<RealistCmocView> Cmocs,
    IReadOnlyDictionary<string, int> EvidenceBySource);

public sealed record RealistThemeView(string Name, IReadOnlyList<string> Barriers, IReadOnlyList<string> Enablers, IReadOnlyList<string> RecordIds);

public sealed record RealistView(IReadOnlyList<RealistOutcomeView> Outcomes, IReadOnlyList<RealistThemeView> Themes, IReadOnlyList<string> RecordIds);

/// <summary>
/// The programme theory across published realist records: each outcome with every CMOC that explains it and the
/// evidence behind each, and themes with their barriers and enablers. Outcomes and themes with the same name
/// (ignoring case and surrounding space) are merged. Pure.
/// </summary>
public static class CaseStudyRealistView
{
    /// <summary>The programme-theory outcomes the INT evaluations used, shown first and in this order.</summary>
    public static readonly string[] CanonicalOutcomes =
    [
        "Building relationships", "Understanding services", "Sharing information", "Collaborative working",
        "Efficient case management", "Better care",
    ];

    public static RealistView Build(IEnumerable<(string RecordId, string Title, RealistNarrative Realist)> records)
    {
        var list = records.ToList();
        var outcomes = list
            .SelectMany(r => r.Realist.Outcomes.Select(o => (r.RecordId, r.Title, Outcome: o)))
            .GroupBy(x => Key(x.Outcome.Name))
            .Select(g =>
            {
                var cmocs = g.SelectMany(x => x.Outcome.Cmocs.Select(c => new RealistCmocView(x.RecordId, x.Title, c.Context,
                    c.EnablingContexts, c.ConstrainingContexts, c.Mechanism, c.Outcome, c.Evidence))).ToList();
                var bySource = cmocs.SelectMany(c => c.Evidence).GroupBy(e => e.Source)
                    .OrderBy(s => s.Key, StringComparer.Ordinal).ToDictionary(s => s.Key, s => s.Count());
                return new RealistOutcomeView(g.First().Outcome.Name.Trim(),
                    g.Select(x => x.Outcome.Description).OfType<string>().Distinct().ToList(), cmocs, bySource);
            })
            .OrderBy(o => Rank(o.Name)).ThenBy(o => o.Name, StringComparer.OrdinalIgnoreCase)
            .ToList();
        var themes = list
            .SelectMany(r => r.Realist.Themes.Select(t => (r.RecordId, Theme: t)))
            .GroupBy(x => Key(x.Theme.Name))
            .Select(g => new RealistThemeView(g.First().Theme.Name.Trim(),
                g.SelectMany(x => x.Theme.Barriers).Distinct().ToList(),
                g.SelectMany(x => x.Theme.Enablers).Distinct().ToList(),
                g.Select(x => x.RecordId).Distinct().ToList()))
            .OrderBy(t => t.Name, StringComparer.OrdinalIgnoreCase)
            .ToList();
        return new RealistView(outcomes, themes, list.Select(r => r.RecordId).ToList());
    }

    private static string Key(string name) => name.Trim().ToLowerInvariant();

    private static int Rank(string name)
    {
        var i = Array.FindIndex(CanonicalOutcomes, c => Key(c) == Key(name));
        return i < 0 ? CanonicalOutcomes.Length : i;
    }
}

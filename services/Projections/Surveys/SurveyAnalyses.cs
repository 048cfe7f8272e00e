using Icp.Contracts.Surveys;
using Icp.Statistics;

namespace Icp.Projections.Surveys;

public sealed record CompareItem(string ItemId, int N1, int N2, double? W, double? PValue, string? Method, double? Cles, double? PAdjustedBH,
    double? PositiveShare1, double? PositiveShare2, double? PpChange, WaveDescriptives Wave1, WaveDescriptives Wave2,
    string? ShortLabel, int PositiveThreshold, bool SmallSample, string? Caution);

public sealed record CompareView(string Before, string After, string InstrumentId, string? Group, int Respondents1, int Respondents2,
    bool Suppressed, IReadOnlyList<string> Notes, IReadOnlyList<CompareItem> Items);

public sealed record MatchedItem(string ItemId, int NPairs, int NZeroDifferences, int NNonZero, double V, double SumNegativeRanks,
    double? PValue, string Method, double? RankBiserial, string? ShortLabel);

public sealed record MatchedView(string Before, string After, string InstrumentId, int MatchedRespondents, int DuplicateCodesExcluded,
    IReadOnlyList<string> Notes, IReadOnlyList<MatchedItem> Items);

public sealed record ItemSummary(string ItemId, string? ShortLabel, int N, double? Mean, double? Sd, double? Median,
    IReadOnlyDictionary<int, int> Counts, int PositiveThreshold, double? PositiveShare);

public sealed record GroupSummary(string Group, int Respondents, bool Suppressed, IReadOnlyList<ItemSummary>? Items);

public sealed record WaveSummaryView(string WaveId, string InstrumentId, string? Name, string Month, string Status, int Respondents,
    int? Invited, double? ResponseRate, string? Caution, IReadOnlyList<ItemSummary> Items, string? By, int MinimumCellSize,
    IReadOnlyList<GroupSummary>? Groups);

public sealed record PatPrincipleView(int Principle, string Name, int N, double? Mean, double? Sd, double? Median, int? Min, int? Max,
    IReadOnlyDictionary<string, int> BandCounts);

public sealed record PatGroupView(string Group, int Respondents, bool Suppressed, IReadOnlyList<PatPrincipleView>? Principles,
    PatTotalSummary? Total);

public sealed record AimsView(string ItemId, int Agree, int Disagree, int NotAnswered, double? AgreeShare);

public sealed record PatView(string WaveId, string InstrumentId, int Respondents, int? Invited, double? ResponseRate,
    IReadOnlyList<PatPrincipleView> Principles, PatTotalSummary Total, AimsView? Aims, int MinimumCellSize,
    IReadOnlyList<PatGroupView> ByOrganisation, IReadOnlyList<PatGroupView> ByTeam);

public sealed record PatRespondentView(string RespondentId, IReadOnlyList<int?> PrincipleScores, IReadOnlyList<string?> PrincipleBands,
    int? Total, string? TotalBand);

public sealed record ThemeCount(string Theme, int Positive, int Neutral, int Negative, int Total);

public sealed record ThemesView(string WaveId, string? ItemId, int Comments, int Coded, IReadOnlyDictionary<string, int> Sentiments,
    IReadOnlyList<ThemeCount> Themes);

public sealed record CommentView(string RespondentId, string ItemId, string Text, IReadOnlyList<string> Themes, string? Sentiment);

/// <summary>A subgroup of respondents: those of one organisation, or those in one team.</summary>
public sealed record RespondentFilter(string? Organisation, string? Team)
{
    public bool IsEmpty => Organisation is null && Team is null;
    public string? Describe() => Organisation is not null ? $"organisation: {Organisation}" : Team is not null ? $"team: {Team}" : null;
    public bool Includes(SurveyResponse r) =>
        (Organisation is null || r.Organisation == Organisation) && (Team is null || r.Teams.Contains(Team));
}

/// <summary>
/// The survey analyses, computed from a wave's stored answers with the statistics library (no I/O here).
/// Breakdowns with fewer respondents than the minimum cell size are suppressed: reported as such, never computed.
/// </summary>
public static class SurveyAnalyses
{
    /// <summary>Below this many respondents per wave, a comparison is flagged as indicative only.</summary>
    public const int RecommendedRespondents = 30;

    public const string NotStated = "(not stated)";

    private static IEnumerable<SurveyItem> ScaleItems(InstrumentDefinedV1 instrument) => instrument.Items.Where(i => i.Kind == "scale");

    private static int[] AnswersTo(IEnumerable<SurveyResponse> responses, string itemId) =>
        responses.Select(r => r.Answers.GetValueOrDefault(itemId)).Where(a => a is not null).Select(a => a!.Value).ToArray();

    // ---- wave comparison

    public static CompareView Compare(WaveData before, WaveData after, RespondentFilter filter, int minimumCellSize)
    {
        var r1 = before.Responses.Where(filter.Includes).ToList();
        var r2 = after.Responses.Where(filter.Includes).ToList();
        var instrument = after.Instrument;
        var group = filter.Describe();
        if (!filter.IsEmpty && (SmallCellSuppression.IsSuppressed(r1.Count, minimumCellSize) || SmallCellSuppression.IsSuppressed(r2.Count, minimumCellSize)))
            return new CompareView(before.Wave.WaveId, after.Wave.WaveId, instrument.InstrumentId, group, r1.Count, r2.Count, true,
                [$"Suppressed: fewer than {minimumCellSize} respondents in a wave for this group."], []);

        var items = ScaleItems(instrument).ToList();
        var compared = WaveComparison.Compare(items.Select(i =>
            new ScaleItemWaves(i.ItemId, i.ScaleMin!.Value, i.ScaleMax!.Value, i.PositiveThreshold!.Value, AnswersTo(r1, i.ItemId), AnswersTo(r2, i.ItemId))));
        var results = compared.Zip(items, (c, i) =>
        {
            var small = c.N1 < RecommendedRespondents || c.N2 < RecommendedRespondents;
            return new CompareItem(c.ItemId, c.N1, c.N2, c.W, c.PValue, c.Method, c.Cles, c.PAdjustedBH, c.PositiveShare1, c.PositiveShare2,
                c.PpChange, c.Wave1, c.Wave2, i.ShortLabel, i.PositiveThreshold!.Value, small,
                small ? $"Only {c.N1} answers before and {c.N2} after (fewer than {RecommendedRespondents} in a wave): read this comparison as indicative, not conclusive." : null);
        }).ToList();
        var notes = new List<string>();
        if (r1.Count < RecommendedRespondents || r2.Count < RecommendedRespondents)
            notes.Add($"Small samples: {r1.Count} respondents before and {r2.Count} after. With fewer than {RecommendedRespondents} " +
                      "in a wave only large differences can show up, and p-values are a rough guide.");
        notes.Add("p-values are adjusted for testing many items at once (Benjamini–Hochberg); use pAdjustedBH to judge significance.");
        return new CompareView(before.Wave.WaveId, after.Wave.WaveId, instrument.InstrumentId, group, r1.Count, r2.Count, false, notes, results);
    }

    // ---- matched analysis

    public static MatchedView Matched(WaveData before, WaveData after)
    {
        var (w1, dup1) = Coded(before.Responses);
        var (w2, dup2) = Coded(after.Responses);
        var matched = w1.Select(r => r.Code).Intersect(w2.Select(r => r.Code), StringComparer.Ordinal).Count();
        var items = ScaleItems(after.Instrument).ToList();
        var results = MatchedAnalysis.Analyse(items.Select(i => i.ItemId), w1, w2)
            .Zip(items, (m, i) => new MatchedItem(m.ItemId, m.NPairs, m.NZeroDifferences, m.NNonZero, m.V, m.SumNegativeRanks, m.PValue,
                m.Method, m.RankBiserial, i.ShortLabel))
            .ToList();
        var notes = new List<string>();
        var duplicates = dup1.Union(dup2, StringComparer.Ordinal).Count();
        if (duplicates > 0)
            notes.Add($"{duplicates} identification code(s) were given by more than one respondent in a wave and are left out of the matching.");
        if (matched < RecommendedRespondents)
            notes.Add($"Only {matched} respondents could be matched across the waves: read the matched results as indicative.");
        return new MatchedView(before.Wave.WaveId, after.Wave.WaveId, after.Instrument.InstrumentId, matched, duplicates, notes, results);
    }

    /// <summary>Respondents with a code that is unique within the wave; a shared code cannot say who is who.</summary>
    private static (List<CodedRespondent> Respondents, HashSet<string> Duplicates) Coded(IReadOnlyList<SurveyResponse> responses)
    {
        var byCode = responses.Where(r => r.Code is not null).GroupBy(r => r.Code!, StringComparer.Ordinal).ToList();
        var duplicates = byCode.Where(g => g.Count() > 1).Select(g => g.Key).ToHashSet(StringComparer.Ordinal);
        var respondents = byCode.Where(g => g.Count() == 1).Select(g => new CodedRespondent(g.Key, g.Single().Answers)).ToList();
        return (respondents, duplicates);
    }

    // ---- per-wave item summaries

    public static WaveSummaryView Summarise(WaveData data, string? by, int minimumCellSize)
    {
        var responses = data.Responses;
        var wave = data.Wave;
        var groups = by is null ? null : Groups(responses, by)
            .Select(g => SmallCellSuppression.Apply(g.Group, g.Members.Count, () => ItemSummaries(data.Instrument, g.Members), minimumCellSize))
            .Select(c => new GroupSummary(c.Group, c.Respondents, c.Suppressed, c.Value))
            .ToList();
        var caution = responses.Count < RecommendedRespondents
            ? $"{responses.Count} respondents: fewer than the {RecommendedRespondents} recommended, so figures can move a lot with a few answers."
            : null;
        return new WaveSummaryView(wave.WaveId, wave.InstrumentId, wave.Name, wave.Month, wave.Status, responses.Count, wave.Invited,
            ResponseRate(responses.Count, wave.Invited), caution, ItemSummaries(data.Instrument, responses), by, minimumCellSize, groups);
    }

    private static List<ItemSummary> ItemSummaries(InstrumentDefinedV1 instrument, IReadOnlyList<SurveyResponse> responses) =>
        ScaleItems(instrument).Select(i =>
        {
            var answers = AnswersTo(responses, i.ItemId);
            var d = WaveComparison.Describe(answers, i.ScaleMin!.Value, i.ScaleMax!.Value);
            return new ItemSummary(i.ItemId, i.ShortLabel, d.N, d.Mean, d.Sd, d.Median, d.Counts, i.PositiveThreshold!.Value,
                WaveComparison.PositiveShare(answers, i.PositiveThreshold!.Value));
        }).ToList();

    /// <summary>Respondents per organisation (unstated ones together) or per team (a respondent counts in each of their teams).</summary>
    public static List<(string Group, List<SurveyResponse> Members)> Groups(IReadOnlyList<SurveyResponse> responses, string by) => by switch
    {
        "organisation" => responses.GroupBy(r => r.Organisation ?? NotStated, StringComparer.Ordinal)
            .Select(g => (g.Key, g.ToList())).OrderBy(g => g.Key, StringComparer.Ordinal).ToList(),
        "team" => responses.SelectMany(r => r.Teams.Select(t => (Team: t, Response: r)))
            .GroupBy(x => x.Team, StringComparer.Ordinal)
            .Select(g => (g.Key, g.Select(x => x.Response).ToList())).OrderBy(g => g.Key, StringComparer.Ordinal).ToList(),
        _ => throw new ArgumentOutOfRangeException(nameof(by), by, "Break down by organisation or team."),
    };

    private static double? ResponseRate(int responses, int? invited) => invited is > 0 ? (double)responses / invited.Value : null;

    // ---- Partnership Assessment Tool

    /// <summary>The 36 statements (six per principle, in instrument order) for scoring.</summary>
    private static string[][] Statements(InstrumentDefinedV1 instrument) =>
        Enumerable.Range(1, PartnershipAssessment.Principles)
            .Select(p => instrument.Items.Where(i => i.Group == p.ToString()).Select(i => i.ItemId).ToArray())
            .ToArray();

    public static PatRespondentScore Score(string[][] statements, SurveyResponse response) =>
        PartnershipAssessment.Score(statements.Select(p => (IReadOnlyList<int?>)p.Select(id => response.Answers.GetValueOrDefault(id)).ToList()).ToList());

    public static List<PatRespondentView> PatRespondents(WaveData data)
    {
        var statements = Statements(data.Instrument);
        return data.Responses.Select(r =>
        {
            var s = Score(statements, r);
            return new PatRespondentView(r.RespondentId, s.PrincipleScores, s.PrincipleBands, s.Total, s.TotalBand);
        }).ToList();
    }

    public static PatView Pat(WaveData data, int minimumCellSize)
    {
        var statements = Statements(data.Instrument);
        var scores = data.Responses.ToDictionary(r => r, r => Score(statements, r));
        var overall = PartnershipAssessment.Summarise(scores.Values);
        var aimsItem = data.Instrument.Items.FirstOrDefault(i => i.Group == "aims" && i.Kind == "scale");
        AimsView? aims = null;
        if (aimsItem is not null)
        {
            var answers = data.Responses.Select(r => r.Answers.GetValueOrDefault(aimsItem.ItemId)).ToList();
            var agree = answers.Count(a => a >= aimsItem.PositiveThreshold);
            var disagree = answers.Count(a => a < aimsItem.PositiveThreshold);
            aims = new AimsView(aimsItem.ItemId, agree, disagree, answers.Count(a => a is null),
                agree + disagree > 0 ? (double)agree / (agree + disagree) : null);
        }
        List<PatGroupView> Breakdown(string by) => Groups(data.Responses, by)
            .Select(g => SmallCellSuppression.Apply(g.Group, g.Members.Count, () => PartnershipAssessment.Summarise(g.Members.Select(m => scores[m])), minimumCellSize))
            .Select(c => new PatGroupView(c.Group, c.Respondents, c.Suppressed, c.Value is null ? null : Principles(c.Value), c.Value?.Total))
            .ToList();
        return new PatView(data.Wave.WaveId, data.Instrument.InstrumentId, data.Responses.Count, data.Wave.Invited,
            ResponseRate(data.Responses.Count, data.Wave.Invited), Principles(overall), overall.Total, aims, minimumCellSize,
            Breakdown("organisation"), Breakdown("team"));
    }

    public static List<PatPrincipleView> Principles(PatSummary summary) => summary.Principles
        .Select(p => new PatPrincipleView(p.Principle, PartnershipPrinciples.Names[p.Principle - 1], p.N, p.Mean, p.Sd, p.Median, p.Min, p.Max, p.BandCounts))
        .ToList();

    // ---- free-text comments and their coding

    public static List<CommentView> Comments(WaveData data, IReadOnlyDictionary<(string, string), CommentCoding> codings, string? itemId) =>
        data.Responses.SelectMany(r => r.Comments.Where(c => itemId is null || c.Key == itemId).Select(c =>
            {
                var coding = codings.GetValueOrDefault((r.RespondentId, c.Key));
                return new CommentView(r.RespondentId, c.Key, c.Value, coding?.Themes ?? [], coding?.Sentiment);
            }))
            .OrderBy(c => c.ItemId, StringComparer.Ordinal).ThenBy(c => c.RespondentId, StringComparer.Ordinal)
            .ToList();

    /// <summary>Theme counts by sentiment over the coded comments (themes compared ignoring case), most frequent first.</summary>
    public static ThemesView Themes(WaveData data, IReadOnlyDictionary<(string, string), CommentCoding> codings, string? itemId)
    {
        var comments = Comments(data, codings, itemId);
        var coded = comments.Where(c => c.Sentiment is not null).ToList();
        var sentiments = new[] { "positive", "neutral", "negative" }.ToDictionary(s => s, s => coded.Count(c => c.Sentiment == s));
        var themes = coded.SelectMany(c => c.Themes.Select(t => (Theme: t, c.Sentiment)))
            .GroupBy(x => x.Theme, StringComparer.OrdinalIgnoreCase)
            .Select(g => new ThemeCount(g.First().Theme, g.Count(x => x.Sentiment == "positive"), g.Count(x => x.Sentiment == "neutral"),
                g.Count(x => x.Sentiment == "negative"), g.Count()))
            .OrderByDescending(t => t.Total).ThenBy(t => t.Theme, StringComparer.OrdinalIgnoreCase)
            .ToList();
        return new ThemesView(data.Wave.WaveId, itemId, comments.Count, coded.Count, sentiments, themes);
    }
}

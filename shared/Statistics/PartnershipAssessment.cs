namespace Icp.Statistics;

/// <summary>Scores of one Partnership Assessment Tool respondent.</summary>
/// <param name="PrincipleScores">Six principle scores 6–24 (principles 1..6); null where any statement is missing.</param>
/// <param name="PrincipleBands">Band "A".."D" per principle; null where the score is null.</param>
/// <param name="Total">Sum of all 36 statements (36–144); null if any statement is missing.</param>
/// <param name="TotalBand">Band of the total; null when the total is null.</param>
public sealed record PatRespondentScore(
    IReadOnlyList<int?> PrincipleScores, IReadOnlyList<string?> PrincipleBands, int? Total, string? TotalBand);

/// <summary>Summary of one principle's scores over respondents (non-null scores only).</summary>
public sealed record PatPrincipleSummary(
    int Principle, int N, double? Mean, double? Sd, double? Median, int? Min, int? Max,
    IReadOnlyDictionary<string, int> BandCounts);

/// <summary>Summary of the total scores over respondents (non-null totals only).</summary>
public sealed record PatTotalSummary(
    int N, double? Mean, double? Sd, double? Median, int? Min, int? Max,
    IReadOnlyDictionary<string, int> BandCounts);

/// <summary>Principle summaries (1..6, in order) and the total summary.</summary>
public sealed record PatSummary(IReadOnlyList<PatPrincipleSummary> Principles, PatTotalSummary Total);

/// <summary>
/// Partnership Assessment Tool (Nuffield Institute, 2003): six principles of six statements,
/// each scored 4 = strongly agree, 3 = agree, 2 = disagree, 1 = strongly disagree.
/// No imputation: a principle with a missing statement has no score, and then there is no total.
/// </summary>
public static class PartnershipAssessment
{
    /// <summary>Number of principles.</summary>
    public const int Principles = 6;

    /// <summary>Statements per principle.</summary>
    public const int StatementsPerPrinciple = 6;

    /// <summary>The four band labels, best first.</summary>
    public static readonly IReadOnlyList<string> Bands = ["A", "B", "C", "D"];

    /// <summary>Band of a principle score: A 19–24, B 13–18, C 7–12, D 6.</summary>
    public static string PrincipleBand(int score) => score switch
    {
        >= 19 and <= 24 => "A",
        >= 13 and <= 18 => "B",
        >= 7 and <= 12 => "C",
        6 => "D",
        _ => throw new ArgumentOutOfRangeException(nameof(score), score, "A principle score lies in 6..24."),
    };

    /// <summary>Band of a total score: A 109–144, B 73–108, C 37–72, D 36.</summary>
    public static string TotalBand(int total) => total switch
    {
        >= 109 and <= 144 => "A",
        >= 73 and <= 108 => "B",
        >= 37 and <= 72 => "C",
        36 => "D",
        _ => throw new ArgumentOutOfRangeException(nameof(total), total, "A total score lies in 36..144."),
    };

    /// <summary>
    /// Scores one respondent. <paramref name="responses"/>[p][s] is statement s (0..5) of principle p (0..5),
    /// 1–4 or null when not answered.
    /// </summary>
    public static PatRespondentScore Score(IReadOnlyList<IReadOnlyList<int?>> responses)
    {
        ArgumentNullException.ThrowIfNull(responses);
        if (responses.Count != Principles)
            throw new ArgumentException($"Expected {Principles} principles, got {responses.Count}.", nameof(responses));
        var scores = new int?[Principles];
        var bands = new string?[Principles];
        for (int p = 0; p < Principles; p++)
        {
            IReadOnlyList<int?> statements = responses[p]
                ?? throw new ArgumentException($"Principle {p + 1} is null.", nameof(responses));
            if (statements.Count != StatementsPerPrinciple)
                throw new ArgumentException(
                    $"Principle {p + 1}: expected {StatementsPerPrinciple} statements, got {statements.Count}.", nameof(responses));
            int sum = 0;
            bool complete = true;
            foreach (int? s in statements)
            {
                if (s is null) { complete = false; continue; }
                if (s < 1 || s > 4)
                    throw new ArgumentOutOfRangeException(nameof(responses), s, "A statement is scored 1..4.");
                sum += s.Value;
            }
            if (complete)
            {
                scores[p] = sum;
                bands[p] = PrincipleBand(sum);
            }
        }
        int? total = scores.All(s => s is not null) ? scores.Sum(s => s!.Value) : null;
        return new PatRespondentScore(scores, bands, total, total is null ? null : TotalBand(total.Value));
    }

    /// <summary>Summaries per principle and of the total over already scored respondents.</summary>
    public static PatSummary Summarise(IEnumerable<PatRespondentScore> scores)
    {
        ArgumentNullException.ThrowIfNull(scores);
        var list = scores.ToList();
        var principles = new List<PatPrincipleSummary>(Principles);
        for (int p = 0; p < Principles; p++)
        {
            int[] values = list.Select(r => r.PrincipleScores[p]).Where(s => s is not null).Select(s => s!.Value).ToArray();
            var (n, mean, sd, median, min, max) = Stats(values);
            principles.Add(new PatPrincipleSummary(p + 1, n, mean, sd, median, min, max, CountBands(values, PrincipleBand)));
        }
        int[] totals = list.Where(r => r.Total is not null).Select(r => r.Total!.Value).ToArray();
        var t = Stats(totals);
        return new PatSummary(principles, new PatTotalSummary(t.N, t.Mean, t.Sd, t.Median, t.Min, t.Max, CountBands(totals, TotalBand)));
    }

    /// <summary>Scores every respondent and summarises (convenience for <see cref="Score"/> + <see cref="Summarise"/>).</summary>
    public static PatSummary Summarise(IEnumerable<IReadOnlyList<IReadOnlyList<int?>>> respondents)
    {
        ArgumentNullException.ThrowIfNull(respondents);
        return Summarise(respondents.Select(Score));
    }

    private static (int N, double? Mean, double? Sd, double? Median, int? Min, int? Max) Stats(int[] values)
    {
        double[] d = values.Select(v => (double)v).ToArray();
        return (values.Length, Descriptive.Mean(d), Descriptive.SampleStandardDeviation(d), Descriptive.Median(d),
            values.Length == 0 ? null : values.Min(), values.Length == 0 ? null : values.Max());
    }

    private static IReadOnlyDictionary<string, int> CountBands(int[] values, Func<int, string> band)
    {
        var counts = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (string b in Bands) counts[b] = 0;
        foreach (int v in values) counts[band(v)]++;
        return counts;
    }
}

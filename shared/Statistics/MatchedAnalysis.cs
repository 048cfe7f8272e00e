namespace Icp.Statistics;

/// <summary>One respondent of a wave with a self-generated identification code.</summary>
/// <param name="Code">Identification code, compared as an exact, case-sensitive string.</param>
/// <param name="Responses">Answer per item id; null or a missing key = not answered.</param>
public sealed record CodedRespondent(string Code, IReadOnlyDictionary<string, int?> Responses);

/// <summary>Matched (signed-rank) analysis of one item; definitions as in the surveys reference README.</summary>
/// <param name="ItemId">Item identifier.</param>
/// <param name="MatchedCodes">Codes used for this item (in both waves, answered in both), ordinal order.</param>
/// <param name="NPairs">Number of matched pairs.</param>
/// <param name="NZeroDifferences">Pairs with the same answer in both waves (dropped from the test).</param>
/// <param name="NNonZero">Pairs with a change.</param>
/// <param name="V">Sum of ranks of positive changes (after − before &gt; 0).</param>
/// <param name="SumNegativeRanks">Sum of ranks of negative changes.</param>
/// <param name="PValue">Two-sided p-value; null when there is no non-zero difference.</param>
/// <param name="Method">"exact" or "normal".</param>
/// <param name="RankBiserial">(V − R⁻)/(V + R⁻); null when there is no non-zero difference.</param>
public sealed record MatchedItemResult(
    string ItemId, IReadOnlyList<string> MatchedCodes, int NPairs, int NZeroDifferences, int NNonZero,
    double V, double SumNegativeRanks, double? PValue, string Method, double? RankBiserial);

/// <summary>Matched before/after analysis of respondents linked by their identification codes.</summary>
public static class MatchedAnalysis
{
    /// <summary>
    /// For each item: pairs = codes present in both waves with a non-null answer in both; d = after − before;
    /// Wilcoxon signed-rank test with R's defaults (zeros dropped). Results in the order of <paramref name="itemIds"/>.
    /// Respondents whose code appears in one wave only are ignored.
    /// </summary>
    /// <exception cref="ArgumentException">A code occurs more than once within a wave.</exception>
    public static IReadOnlyList<MatchedItemResult> Analyse(
        IEnumerable<string> itemIds, IEnumerable<CodedRespondent> before, IEnumerable<CodedRespondent> after)
    {
        ArgumentNullException.ThrowIfNull(itemIds);
        Dictionary<string, CodedRespondent> w1 = ByCode(before, nameof(before));
        Dictionary<string, CodedRespondent> w2 = ByCode(after, nameof(after));
        string[] common = w1.Keys.Where(w2.ContainsKey).ToArray();
        Array.Sort(common, string.CompareOrdinal);

        var results = new List<MatchedItemResult>();
        foreach (string itemId in itemIds)
        {
            var codes = new List<string>();
            var diffs = new List<double>();
            foreach (string code in common)
            {
                int? a = Answer(w1[code], itemId);
                int? b = Answer(w2[code], itemId);
                if (a is null || b is null) continue;
                codes.Add(code);
                diffs.Add((double)b.Value - a.Value);
            }
            SignedRankResult t = SignedRankTest.Test(diffs);
            results.Add(new MatchedItemResult(
                itemId, codes, codes.Count, t.NZeroDifferences, t.NNonZero, t.V, t.SumNegativeRanks,
                t.PValue, t.Method, t.RankBiserial));
        }
        return results;
    }

    private static int? Answer(CodedRespondent r, string itemId) =>
        r.Responses.TryGetValue(itemId, out int? v) ? v : null;

    private static Dictionary<string, CodedRespondent> ByCode(IEnumerable<CodedRespondent> wave, string name)
    {
        ArgumentNullException.ThrowIfNull(wave, name);
        var map = new Dictionary<string, CodedRespondent>(StringComparer.Ordinal);
        foreach (CodedRespondent r in wave)
        {
            ArgumentNullException.ThrowIfNull(r, name);
            ArgumentNullException.ThrowIfNull(r.Code, name);
            ArgumentNullException.ThrowIfNull(r.Responses, name);
            if (!map.TryAdd(r.Code, r))
                throw new ArgumentException($"Identification code '{r.Code}' occurs more than once in one wave.", name);
        }
        return map;
    }
}

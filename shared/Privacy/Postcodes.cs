using System.Text.RegularExpressions;

namespace Icp.Privacy;

/// <summary>
/// Full UK postcodes in folded text, in any case, with or without a space or hyphen between the outward code (area,
/// district, optional sub-district: "sw1a", "n1", "b33") and the inward code (sector digit and two unit letters, never
/// C, I, K, M, O or V: "1aa"). A district alone ("NW1") is not a postcode.
/// </summary>
/// <remarks>
/// An inward code that reads as an ordinal ("m6 2nd", "b12 1st", "a1 3rd") counts only when the original is written
/// all in capitals ("B33 8TH"): in running text it is a road, a vitamin or a floor followed by an ordinal.
/// </remarks>
internal static partial class Postcodes
{
    public static IEnumerable<(int Start, int Length)> Find(FoldedText text) =>
        RegexCandidates.Find(Candidate(), text.Text, m => Accept(text, m));

    [GeneratedRegex(
        @"(?<![\p{L}\p{N}])" +
        @"(?:gir ?0aa|" +
        @"(?:[a-pr-uwyz][0-9]{1,2}|[a-pr-uwyz][a-hk-y][0-9]{1,2}|[a-pr-uwyz][0-9][a-hjkpstuw]" +
        @"|[a-pr-uwyz][a-hk-y][0-9][abehmnprvwxy])" +
        @"(?: {1,2}|-| - )?" +
        @"(?<inward>[0-9][abd-hjlnp-uw-z]{2}))" +
        @"(?![\p{L}\p{N}])")]
    private static partial Regex Candidate();

    [GeneratedRegex(@"^[0-9](?:st|nd|rd|th)$")]
    private static partial Regex Ordinal();

    private static (int Start, int Length)? Accept(FoldedText text, Match match)
    {
        var inward = match.Groups["inward"];
        if (!inward.Success || !Ordinal().IsMatch(inward.ValueSpan)) return (match.Index, match.Length);
        var (start, length) = text.ToOriginal(match.Index, match.Length);
        foreach (var c in text.Original.AsSpan(start, length))
            if (char.IsLower(c)) return null;
        return (match.Index, match.Length);
    }
}

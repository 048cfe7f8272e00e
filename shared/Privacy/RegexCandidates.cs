using System.Text.RegularExpressions;

namespace Icp.Privacy;

internal static class RegexCandidates
{
    /// <summary>
    /// What <paramref name="accept"/> makes of every match of <paramref name="pattern"/> it keeps (it may also shorten
    /// the span, reported by <paramref name="spanOf"/>). After a match is refused the search resumes one character
    /// later rather than after it, so a refused match never hides a good one that starts inside it.
    /// </summary>
    public static IEnumerable<T> Find<T>(Regex pattern, string text, Func<Match, T?> accept,
        Func<T, (int Start, int Length)> spanOf) where T : struct
    {
        var at = 0;
        while (at < text.Length)
        {
            var match = pattern.Match(text, at);
            if (!match.Success) yield break;
            if (accept(match) is { } kept)
            {
                yield return kept;
                var (start, length) = spanOf(kept);
                at = Math.Max(start + length, match.Index + 1);
            }
            else
            {
                at = match.Index + 1;
            }
        }
    }

    public static IEnumerable<(int Start, int Length)> Find(Regex pattern, string text,
        Func<Match, (int Start, int Length)?> accept) => Find(pattern, text, accept, span => span);

    public static IEnumerable<(int Start, int Length)> Find(Regex pattern, string text) =>
        Find(pattern, text, m => (m.Index, m.Length));
}

using System.Text.RegularExpressions;

namespace Icp.Privacy;

/// <summary>
/// UK phone numbers in folded text: <c>+44</c>, <c>0044</c>, <c>(0)</c> or a trunk <c>0</c>, then a national number of
/// 9 or 10 digits starting 1, 2, 3, 5, 7, 8 or 9, in up to four groups joined by a space, <c>-</c>, <c>.</c> or a
/// closing bracket: "020 7946 0958", "+44 (0) 7700 900 123", "(01632) 960001", "07700.900.123", "07700900123".
/// </summary>
internal static partial class PhoneNumbers
{
    private const int MinNationalDigits = 9;
    private const int MaxNationalDigits = 10;

    public static IEnumerable<(int Start, int Length)> Find(string folded) =>
        RegexCandidates.Find(Candidate(), folded, m => Accept(folded, m))
            .Concat(RegexCandidates.Find(DigitByDigit(), folded));

    // Groups after the first have 2–6 digits, so "0.75 0.82" or "1 2 3" never add up to a number.
    [GeneratedRegex(
        @"(?<![\d+.,£$€/\-_])" +
        @"(?:(?:\+|00)[ \-.]?44[ \-.]?(?:\( ?0 ?\)[ \-.]?)?|\( ?0 ?\) ?|\(?0)" +
        @"(?<national>[1235789]\d{0,9}(?:(?:\) ?| ?[\-.] ?| {1,2})\d{2,6}){0,3})" +
        @"(?!\d|[\-.]\d)")]
    private static partial Regex Candidate();

    // "0 7 7 0 0 9 0 0 1 2 3": every digit on its own, always with the same separator, and ten national digits (the
    // usual length), so that counting "0 1 2 3 4 5 6 7 8 9" is not a phone number.
    [GeneratedRegex(
        @"(?<![\d+.,£$€/\-_])(?:\+ ?4 ?4|0 ?0 ?4 ?4|0)(?<separator>[ \-.])[1235789](?:\k<separator>\d){9}" +
        @"(?!\d|[ \-.]\d)")]
    private static partial Regex DigitByDigit();

    // "02-03-2025 14" and "01.02.2025 10" are a date and a number, not "0" and nine national digits.
    [GeneratedRegex(@"^\(?\d{1,2}(?<separator>[\-./])\d{1,2}\k<separator>(?:\d{4}|\d{2})(?!\d)")]
    private static partial Regex StartsWithDate();

    private static (int Start, int Length)? Accept(string text, Match match)
    {
        if (StartsWithDate().IsMatch(text.AsSpan(match.Index, match.Length))) return null;
        var national = match.Groups["national"];
        var end = national.Index + national.Length;
        var digits = national.Value.Count(char.IsAsciiDigit);
        // A number followed by another one after a space ("07700 900123 45"): keep the phone number alone.
        while (digits > MaxNationalDigits)
        {
            var lastGroupStart = end;
            while (char.IsAsciiDigit(text[lastGroupStart - 1])) lastGroupStart--;
            if (lastGroupStart <= national.Index || text[lastGroupStart - 1] != ' ') return null;
            digits -= end - lastGroupStart;
            end = lastGroupStart;
            while (text[end - 1] == ' ') end--;
        }
        return digits >= MinNationalDigits ? (match.Index, end - match.Index) : null;
    }
}

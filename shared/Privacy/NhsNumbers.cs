using System.Globalization;

namespace Icp.Privacy;

/// <summary>
/// NHS numbers in folded text: ten digits passing the modulus-11 check, written together or in groups joined by
/// separators (spaces, <c>.</c>, <c>-</c> or <c>/</c>, mixed or not: "943 476-5919", "94 34 76 59 19").
/// </summary>
/// <remarks>
/// Digit groups joined by separators form a chain; any run of whole consecutive groups in a chain holding exactly ten
/// digits is a candidate. A candidate is not part of a longer number: it never splits a group (so eleven digits
/// written together never match), it is not continued by another group through a bare <c>.</c>, <c>-</c> or <c>/</c>
/// ("1-943-476-5919" is one longer number; a space, or a full stop before one, separates two numbers), it does not
/// follow a <c>+</c> (a country code), and it does not begin or end with a whole calendar date ("14/03/2025 10").
/// Placeholders pass the check but are nobody's number, so they are left alone: one digit ten times ("0000000000")
/// and the straight runs "0123456789" and "9876543210".
/// </remarks>
internal static class NhsNumbers
{
    private const int Digits = 10;
    private const int MaxSeparatorLength = 3;

    private readonly record struct DigitGroup(int Start, int End, int GapBefore);

    public static IEnumerable<(int Start, int Length)> Find(string folded)
    {
        foreach (var chain in Chains(folded))
        {
            for (var first = 0; first < chain.Count; first++)
            {
                var digitCount = 0;
                for (var last = first; last < chain.Count && digitCount < Digits; last++)
                {
                    digitCount += chain[last].End - chain[last].Start;
                    if (digitCount != Digits) continue;
                    if (!IsWholeNumber(folded, chain, first, last)) continue;
                    var digits = DigitsOf(folded, chain, first, last);
                    if (PassesModulus11(digits) && !IsPlaceholder(digits))
                        yield return (chain[first].Start, chain[last].End - chain[first].Start);
                }
            }
        }
    }

    /// <summary>
    /// The NHS number check digit: weights 10 down to 2 on the first nine digits; 11 minus the remainder of the sum
    /// divided by 11 is the check digit (11 counts as 0, and 10 means the number is not valid).
    /// </summary>
    public static bool PassesModulus11(string tenDigits)
    {
        if (tenDigits.Length != Digits || !tenDigits.All(char.IsAsciiDigit)) return false;
        var sum = 0;
        for (var i = 0; i < Digits - 1; i++) sum += (tenDigits[i] - '0') * (Digits - i);
        var check = 11 - sum % 11;
        if (check == 11) check = 0;
        return check != 10 && check == tenDigits[Digits - 1] - '0';
    }

    private static bool IsPlaceholder(string digits) =>
        digits.All(d => d == digits[0]) || digits is "0123456789" or "9876543210";

    private static List<List<DigitGroup>> Chains(string text)
    {
        var chains = new List<List<DigitGroup>>();
        List<DigitGroup>? chain = null;
        var previousEnd = -1;
        var index = 0;
        while (index < text.Length)
        {
            if (!char.IsAsciiDigit(text[index]))
            {
                index++;
                continue;
            }
            var start = index;
            while (index < text.Length && char.IsAsciiDigit(text[index])) index++;
            if (chain is not null && IsSeparator(text.AsSpan(previousEnd, start - previousEnd)))
            {
                chain.Add(new DigitGroup(start, index, previousEnd));
            }
            else
            {
                chain = [new DigitGroup(start, index, -1)];
                chains.Add(chain);
            }
            previousEnd = index;
        }
        return chains;
    }

    // Spaces with at most one '.', '-' or '/' among them: " ", "-", " - ", "  ", "/".
    private static bool IsSeparator(ReadOnlySpan<char> gap)
    {
        if (gap.Length is 0 or > MaxSeparatorLength) return false;
        var symbols = 0;
        foreach (var c in gap)
        {
            if (c is '.' or '-' or '/') symbols++;
            else if (c != ' ') return false;
        }
        return symbols <= 1;
    }

    // "1-943-476-5919" is one number; "Ward 3. 943 476 5919" or "5919. 12 staff" end or start a sentence.
    private static bool ContinuesNumber(string text, int gapStart, int gapEnd) =>
        gapEnd - gapStart == 1 && text[gapStart] is '.' or '-' or '/';

    private static bool IsWholeNumber(string text, List<DigitGroup> chain, int first, int last)
    {
        if (chain[first].Start > 0 && text[chain[first].Start - 1] == '+') return false;
        if (first > 0 && ContinuesNumber(text, chain[first].GapBefore, chain[first].Start)) return false;
        if (last + 1 < chain.Count && ContinuesNumber(text, chain[last + 1].GapBefore, chain[last + 1].Start))
            return false;
        return !StartsWithDate(text, chain, first, last) && !EndsWithDate(text, chain, first, last);
    }

    private static bool StartsWithDate(string text, List<DigitGroup> chain, int first, int last) =>
        last - first >= 3 && IsDate(text, chain[first], chain[first + 1], chain[first + 2]);

    private static bool EndsWithDate(string text, List<DigitGroup> chain, int first, int last) =>
        last - first >= 3 && IsDate(text, chain[last - 2], chain[last - 1], chain[last]);

    // Day, month and year (or year, month and day) joined twice by the same '.', '-' or '/'.
    private static bool IsDate(string text, DigitGroup a, DigitGroup b, DigitGroup c)
    {
        var firstGap = text.AsSpan(b.GapBefore, b.Start - b.GapBefore);
        var secondGap = text.AsSpan(c.GapBefore, c.Start - c.GapBefore);
        if (firstGap.Length != 1 || !firstGap.SequenceEqual(secondGap) || firstGap[0] == ' ') return false;
        int Length(DigitGroup g) => g.End - g.Start;
        int Value(DigitGroup g) => int.Parse(text.AsSpan(g.Start, Length(g)), CultureInfo.InvariantCulture);
        if (Length(a) <= 2 && Length(b) <= 2 && Length(c) is 2 or 4)
            return Value(a) is >= 1 and <= 31 && Value(b) is >= 1 and <= 12;
        if (Length(a) == 4 && Length(b) <= 2 && Length(c) <= 2)
            return Value(b) is >= 1 and <= 12 && Value(c) is >= 1 and <= 31;
        return false;
    }

    private static string DigitsOf(string text, List<DigitGroup> chain, int first, int last) =>
        string.Concat(chain.Skip(first).Take(last - first + 1).Select(g => text[g.Start..g.End]));
}

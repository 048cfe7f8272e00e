using System.Text.RegularExpressions;

namespace Icp.Surveys.Domain;

/// <summary>Something in a free text that could identify a person.</summary>
/// <param name="Kind">email | phone | nhs_number.</param>
public sealed record IdentifyingMatch(string Kind, int Start, int Length);

/// <summary>
/// Finds e-mail addresses, UK phone numbers and NHS numbers in free text. Responses are anonymous, so text with any
/// of these is refused rather than stored. NHS numbers are ten digits (optionally 3-3-4 with spaces or hyphens)
/// whose modulus-11 check digit is valid, which keeps ordinary figures from being mistaken for them.
/// </summary>
public static partial class IdentifyingText
{
    [GeneratedRegex(@"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}", RegexOptions.CultureInvariant)]
    private static partial Regex Email();

    [GeneratedRegex(@"(?<![\d])\d{3}[ \-]?\d{3}[ \-]?\d{4}(?![\d])", RegexOptions.CultureInvariant)]
    private static partial Regex TenDigits();

    // +44 or a leading 0, then 9 or 10 more digits with optional single spaces or hyphens (and an optional "(0)").
    [GeneratedRegex(@"(?<![\d+])(?:\+44[ \-]?(?:\(0\)[ \-]?)?|\(?0)\d(?:[ \-)]?\d){8,9}(?![\d])", RegexOptions.CultureInvariant)]
    private static partial Regex UkPhone();

    public static IReadOnlyList<IdentifyingMatch> Find(string? text)
    {
        if (string.IsNullOrEmpty(text)) return [];
        var found = new List<IdentifyingMatch>();
        foreach (Match m in Email().Matches(text)) found.Add(new("email", m.Index, m.Length));
        var nhsSpans = new List<(int Start, int End)>();
        foreach (Match m in TenDigits().Matches(text))
        {
            if (!IsValidNhsNumber(m.Value)) continue;
            found.Add(new("nhs_number", m.Index, m.Length));
            nhsSpans.Add((m.Index, m.Index + m.Length));
        }
        foreach (Match m in UkPhone().Matches(text))
        {
            if (nhsSpans.Any(s => m.Index < s.End && s.Start < m.Index + m.Length)) continue;
            if (found.Any(f => f.Kind == "email" && m.Index >= f.Start && m.Index < f.Start + f.Length)) continue;
            found.Add(new("phone", m.Index, m.Length));
        }
        return found.OrderBy(f => f.Start).ToList();
    }

    /// <summary>Ten digits (separators ignored) with a valid modulus-11 check digit.</summary>
    public static bool IsValidNhsNumber(string text)
    {
        var digits = text.Where(char.IsAsciiDigit).Select(c => c - '0').ToArray();
        if (digits.Length != 10) return false;
        var sum = 0;
        for (var i = 0; i < 9; i++) sum += digits[i] * (10 - i);
        var check = 11 - sum % 11;
        if (check == 11) check = 0;
        return check != 10 && check == digits[9];
    }

    public static string Describe(string kind) => kind switch
    {
        "email" => "an e-mail address",
        "phone" => "a phone number",
        "nhs_number" => "an NHS number",
        _ => kind,
    };
}

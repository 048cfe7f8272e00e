using System.Globalization;
using System.Text.RegularExpressions;

namespace Icp.CaseStudies.Domain;

/// <summary>Identifying data found in one free-text field: where it starts, how long it is and what it looks like.</summary>
public sealed record PiiFinding(string Field, int Start, int Length, string Kind);

/// <summary>
/// Finds identifying data in free text before anything is stored: NHS numbers (ten digits passing the modulus-11
/// check), e-mail addresses, UK phone numbers, full UK postcodes and dates of birth. Pure: no I/O, no clock
/// (the caller passes today's date, used to recognise birth dates).
/// </summary>
public static partial class PiiScreen
{
    public const string NhsNumber = "nhs_number";
    public const string Email = "email";
    public const string Phone = "phone";
    public const string Postcode = "postcode";
    public const string DateOfBirth = "date_of_birth";

    /// <summary>A full date this many years or more before today is read as a date of birth even without a cue.</summary>
    public const int BirthDateMinimumAgeYears = 16;

    /// <summary>Screens every field; findings come ordered by field (in the order given), then by position.</summary>
    public static List<PiiFinding> Screen(IEnumerable<(string Field, string? Text)> fields, DateOnly today)
    {
        var findings = new List<PiiFinding>();
        foreach (var (field, text) in fields)
        {
            if (string.IsNullOrEmpty(text)) continue;
            findings.AddRange(Find(text, today).Select(m => new PiiFinding(field, m.Start, m.Length, m.Kind)));
        }
        return findings;
    }

    public readonly record struct Match(int Start, int Length, string Kind);

    public static List<Match> Find(string text, DateOnly today)
    {
        var found = new List<Match>();
        foreach (System.Text.RegularExpressions.Match m in EmailPattern().Matches(text))
            found.Add(new(m.Index, m.Length, Email));
        foreach (System.Text.RegularExpressions.Match m in NhsNumberPattern().Matches(text))
            if (PassesModulus11(m.Groups[1].Value + m.Groups[3].Value + m.Groups[4].Value))
                found.Add(new(m.Index, m.Length, NhsNumber));
        foreach (System.Text.RegularExpressions.Match m in PhonePattern().Matches(text))
            found.Add(new(m.Index, m.Length, Phone));
        foreach (System.Text.RegularExpressions.Match m in PostcodePattern().Matches(text))
            if (IsWrittenAsPostcode(m.Value))
                found.Add(new(m.Index, m.Length, Postcode));
        foreach (var date in FullDates(text, today))
            if (LooksLikeBirthDate(text, date, today))
                found.Add(new(date.Start, date.Length, DateOfBirth));

        // A span claimed by an earlier pattern (e.g. the digits inside an e-mail address) is reported once.
        var result = new List<Match>();
        foreach (var match in found)
            if (!result.Any(r => match.Start < r.Start + r.Length && r.Start < match.Start + match.Length))
                result.Add(match);
        result.Sort((a, b) => a.Start.CompareTo(b.Start));
        return result;
    }

    /// <summary>
    /// The NHS number check digit: weights 10 down to 2 on the first nine digits; 11 minus the remainder of the sum
    /// divided by 11 is the check digit (11 counts as 0, and 10 means the number is not valid).
    /// </summary>
    public static bool PassesModulus11(string tenDigits)
    {
        if (tenDigits.Length != 10 || !tenDigits.All(char.IsAsciiDigit)) return false;
        var sum = 0;
        for (var i = 0; i < 9; i++) sum += (tenDigits[i] - '0') * (10 - i);
        var check = 11 - sum % 11;
        if (check == 11) check = 0;
        return check != 10 && check == tenDigits[9] - '0';
    }

    // user@domain.tld; the local part and domain as RFC 5322 allows in practice.
    [GeneratedRegex(@"(?<![A-Za-z0-9._%+\-])[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}(?![A-Za-z0-9\-])")]
    private static partial Regex EmailPattern();

    // Ten digits, together or as 3-3-4 with one kind of separator, not part of a longer number.
    [GeneratedRegex(@"(?<![\d+])(\d{3})([ \-]?)(\d{3})\2(\d{4})(?![\d])")]
    private static partial Regex NhsNumberPattern();

    // UK numbers: +44 / 0044 / 0, then a national number of 9 or 10 digits starting 1, 2, 3, 5, 7, 8 or 9,
    // with spaces, hyphens or brackets between digits ("020 7946 0958", "+44 (0)7700 900123", "(01632) 960001").
    [GeneratedRegex(@"(?<![\w+])(?:(?:\+|00)44[ \-]?(?:\(0\)[ \-]?)?|\(?0)[1235789](?:[ \-]?\)?[ \-]?\d){8,9}(?![\d])")]
    private static partial Regex PhonePattern();

    // Outward code (area, district, optional sub-district) and inward code (sector digit, two unit letters).
    [GeneratedRegex(@"(?<![A-Za-z0-9])(?:[A-PR-UWYZ][0-9]{1,2}|[A-PR-UWYZ][A-HK-Y][0-9]{1,2}|[A-PR-UWYZ][0-9][A-HJKPSTUW]|[A-PR-UWYZ][A-HK-Y][0-9][ABEHMNPRVWXY]) ?[0-9][ABD-HJLNP-UW-Z]{2}(?![A-Za-z0-9])", RegexOptions.IgnoreCase)]
    private static partial Regex PostcodePattern();

    // Lower case counts only when spaced and not an ordinal ("m6 2nd" is a motorway, not a postcode).
    private static bool IsWrittenAsPostcode(string candidate)
    {
        if (candidate == candidate.ToUpperInvariant()) return true;
        if (candidate != candidate.ToLowerInvariant() || !candidate.Contains(' ')) return false;
        return !OrdinalInward().IsMatch(candidate);
    }

    [GeneratedRegex(@" \d(st|nd|rd|th)$")]
    private static partial Regex OrdinalInward();

    private readonly record struct FoundDate(int Start, int Length, DateOnly Date, bool TwoDigitYear);

    private static readonly string[] MonthNames =
        ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];

    private const string MonthWord =
        "(?<month>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)";

    // 14/03/1947, 14-3-47, 14.03.1947 (UK order: day first).
    [GeneratedRegex(@"(?<![\d/.\-])(?<day>\d{1,2})(?<sep>[/.\-])(?<monthNumber>\d{1,2})\k<sep>(?<year>\d{4}|\d{2})(?![\d/\-]|\.\d)")]
    private static partial Regex NumericDate();

    // 1947-03-14.
    [GeneratedRegex(@"(?<![\d\-])(?<year>\d{4})-(?<monthNumber>\d{2})-(?<day>\d{2})(?![\d\-])")]
    private static partial Regex IsoDate();

    // 14 March 1947, 14th of Mar 1947, March 14, 1947, March 14th 1947.
    [GeneratedRegex(@"(?<![\w])(?:(?<day>\d{1,2})(?:st|nd|rd|th)?(?:\s+of)?\s+" + MonthWord + @"\.?,?\s+(?<year>\d{4})|" + MonthWord + @"\.?\s+(?<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?<year>\d{4}))(?![\w])", RegexOptions.IgnoreCase)]
    private static partial Regex WordDate();

    private static IEnumerable<FoundDate> FullDates(string text, DateOnly today)
    {
        foreach (var regex in new[] { NumericDate(), IsoDate(), WordDate() })
        {
            foreach (System.Text.RegularExpressions.Match m in regex.Matches(text))
            {
                var day = int.Parse(m.Groups["day"].Value, CultureInfo.InvariantCulture);
                var month = m.Groups["monthNumber"].Success
                    ? int.Parse(m.Groups["monthNumber"].Value, CultureInfo.InvariantCulture)
                    : Array.FindIndex(MonthNames, n => n.StartsWith(m.Groups["month"].Value.ToLowerInvariant(), StringComparison.Ordinal)) + 1;
                var yearText = m.Groups["year"].Value;
                var year = int.Parse(yearText, CultureInfo.InvariantCulture);
                var twoDigits = yearText.Length == 2;
                if (twoDigits) year += year > today.Year % 100 ? 1900 : 2000;
                if (month is < 1 or > 12 || year < 1 || day < 1 || day > DateTime.DaysInMonth(year, month)) continue;
                yield return new FoundDate(m.Index, m.Length, new DateOnly(year, month, day), twoDigits);
            }
        }
    }

    [GeneratedRegex(@"(?:\bborn\b|\bbirth|\bd\.?o\.?b\b|\bbirthday\b)", RegexOptions.IgnoreCase)]
    private static partial Regex BirthCue();

    private const int CueWindow = 40;

    // A full date is a date of birth when the text says so just before it ("born on", "DOB:", "date of birth"),
    // or when it lies so far back that no service-use date in an evaluation narrative would.
    private static bool LooksLikeBirthDate(string text, FoundDate date, DateOnly today)
    {
        var windowStart = Math.Max(0, date.Start - CueWindow);
        if (BirthCue().IsMatch(text.AsSpan(windowStart, date.Start - windowStart).ToString())) return true;
        return !date.TwoDigitYear && date.Date <= today.AddYears(-BirthDateMinimumAgeYears);
    }
}

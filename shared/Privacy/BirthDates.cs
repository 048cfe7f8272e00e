using System.Globalization;
using System.Text.RegularExpressions;

namespace Icp.Privacy;

/// <summary>
/// Dates of birth in folded text: a full calendar date (day, month and year) that the text marks as a birth date
/// ("born", "DOB", "d.o.b", "date of birth", "birthday", "b." within <see cref="CueWindow"/> characters before it), or
/// that lies so far back that no service-use date in a narrative would (four-digit year,
/// <see cref="IdentifyingDataScreen.BirthDateMinimumAgeYears"/> years or more before today).
/// </summary>
/// <remarks>
/// Forms: "14/03/1947", "3.3.41", "1941-3-3", "14 March 1947", "3 Mar '41", "March 3rd, 1962", "the third of March,
/// 1941" (day ordinals spelled out, "twenty-first"). A two-digit year, eight or six digits written together
/// ("03031941") and numbers separated by spaces ("03 03 1941") are too ambiguous to count without a cue.
/// </remarks>
internal static partial class BirthDates
{
    public const int CueWindow = 40;

    private readonly record struct FoundDate(int Start, int Length, DateOnly Date, bool NeedsCue);

    private static readonly string[] MonthNames =
    [
        "january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november",
        "december",
    ];

    private static readonly string[] OrdinalUnits =
        ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth"];

    private static readonly Dictionary<string, int> SpelledDays = BuildSpelledDays();

    private const string Month =
        "(?<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?" +
        "|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)";

    private const string SpelledDay =
        "(?<spelledDay>(?:twenty|thirty)[ \\-]?(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth)" +
        "|twentieth|thirtieth|tenth|eleventh|twelfth|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth" +
        "|eighteenth|nineteenth|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth)";

    private const string Day = @"(?:(?<day>\d{1,2})(?:st|nd|rd|th)?|" + SpelledDay + ")";
    private const string WordYear = @"(?<year>\d{4}|'\d{2}|\d{2})";
    private const string WordStart = @"(?<![\p{L}\p{N}\-])";
    private const string WordEnd = @"(?![\p{L}\p{N}])";

    public static IEnumerable<(int Start, int Length)> Find(string folded, DateOnly today)
    {
        var cueEnds = BirthCue().Matches(folded).Select(m => m.Index + m.Length).ToList();
        foreach (var date in FullDates(folded, today))
            if (IsBirthDate(folded, date, cueEnds, today))
                yield return (date.Start, date.Length);
    }

    // 14/03/1947, 14-3-47, 14.03.1947, 3/3/'41 (day first).
    [GeneratedRegex(
        @"(?<![\d/.\-])(?<day>\d{1,2})(?<separator>[/.\-])(?<monthNumber>\d{1,2})\k<separator>" +
        @"(?<year>\d{4}|'?\d{2})(?![\d/\-]|\.\d)")]
    private static partial Regex NumericDate();

    // 03 03 1941: only with a cue.
    [GeneratedRegex(@"(?<![\d/.\-])(?<!\d )(?<day>\d{1,2}) (?<monthNumber>\d{1,2}) (?<year>\d{4}|\d{2})(?! ?\d)")]
    private static partial Regex SpacedDate();

    // 1947-03-14, 1941-3-3, 1941/03/03.
    [GeneratedRegex(
        @"(?<![\d/.\-])(?<year>\d{4})(?<separator>[/.\-])(?<monthNumber>\d{1,2})\k<separator>(?<day>\d{1,2})" +
        @"(?!\d|[/.\-]\d)")]
    private static partial Regex IsoDate();

    // 03031941, 19410303, 030341: only with a cue.
    [GeneratedRegex(@"(?<!\d)(?<compact>\d{8}|\d{6})(?!\d)")]
    private static partial Regex CompactDate();

    // 14 March 1947, 14th of Mar. 1947, 3-mar-1941, 3Mar41, the third of March, 1941, 3 Mar '41.
    [GeneratedRegex(WordStart + Day + "(?: {1,3}of)?(?: {0,3}|-)" + Month + @"\.?(?:,? {0,3}|-)" + WordYear + WordEnd)]
    private static partial Regex DayMonthYear();

    // March 14, 1947, March 3rd 1962, March the third, 1941.
    [GeneratedRegex(WordStart + Month + @"\.?(?: {1,3}the)? {1,3}" + Day + "(?:,? {1,3}|,)" + WordYear + WordEnd)]
    private static partial Regex MonthDayYear();

    [GeneratedRegex(@"(?<!\p{L})(?:born|birth\p{L}{0,5}|d(?:\. ?| )?o(?:\. ?| )?b|b-?day)(?!\p{L})")]
    private static partial Regex BirthCue();

    // "b. 3/3/41": the abbreviation counts only right before the date, where it cannot be anything else.
    [GeneratedRegex(@"(?<!\p{L})b\. ?$")]
    private static partial Regex BornAbbreviationBefore();

    private static bool IsBirthDate(string text, FoundDate date, List<int> cueEnds, DateOnly today)
    {
        var windowStart = date.Start - CueWindow;
        if (cueEnds.Any(end => end <= date.Start && end >= windowStart)) return true;
        var before = Math.Max(0, date.Start - 4);
        if (BornAbbreviationBefore().IsMatch(text.AsSpan(before, date.Start - before))) return true;
        return !date.NeedsCue && date.Date <= today.AddYears(-IdentifyingDataScreen.BirthDateMinimumAgeYears);
    }

    private static IEnumerable<FoundDate> FullDates(string text, DateOnly today)
    {
        static (int, int) SpanOf(FoundDate date) => (date.Start, date.Length);
        foreach (var regex in new[] { NumericDate(), IsoDate(), DayMonthYear(), MonthDayYear() })
            foreach (var date in RegexCandidates.Find(regex, text, m => Parse(m, today, needsCue: false), SpanOf))
                yield return date;
        foreach (var date in RegexCandidates.Find(SpacedDate(), text, m => Parse(m, today, needsCue: true), SpanOf))
            yield return date;
        foreach (var date in RegexCandidates.Find(CompactDate(), text, m => ParseCompact(m, today), SpanOf))
            yield return date;
    }

    private static FoundDate? Parse(Match m, DateOnly today, bool needsCue)
    {
        var day = m.Groups["day"].Success
            ? Number(m.Groups["day"].Value)
            : SpelledDays[Key(m.Groups["spelledDay"].Value)];
        var month = m.Groups["monthNumber"].Success
            ? Number(m.Groups["monthNumber"].Value)
            : Array.FindIndex(MonthNames, n => n.StartsWith(m.Groups["month"].Value, StringComparison.Ordinal)) + 1;
        var yearText = m.Groups["year"].Value.TrimStart('\'');
        var twoDigitYear = yearText.Length == 2;
        var year = Year(Number(yearText), twoDigitYear, today);
        return CalendarDate(year, month, day) is { } date
            ? new FoundDate(m.Index, m.Length, date, twoDigitYear || needsCue)
            : null;
    }

    private static FoundDate? ParseCompact(Match m, DateOnly today)
    {
        var digits = m.Groups["compact"].Value;
        if (digits.Length == 6)
            return CalendarDate(Year(Number(digits[4..]), true, today), Number(digits[2..4]), Number(digits[..2]))
                is { } shortDate ? new FoundDate(m.Index, m.Length, shortDate, true) : null;
        var date = CalendarDate(Number(digits[4..]), Number(digits[2..4]), Number(digits[..2]))
            ?? CalendarDate(Number(digits[..4]), Number(digits[4..6]), Number(digits[6..]));
        return date is { } found ? new FoundDate(m.Index, m.Length, found, true) : null;
    }

    private static int Year(int year, bool twoDigits, DateOnly today) =>
        !twoDigits ? year : year + (year > today.Year % 100 ? 1900 : 2000);

    private static DateOnly? CalendarDate(int year, int month, int day) =>
        year is >= 1 and <= 9999 && month is >= 1 and <= 12 && day >= 1 && day <= DateTime.DaysInMonth(year, month)
            ? new DateOnly(year, month, day)
            : null;

    private static int Number(string digits) => int.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture);

    private static string Key(string spelledDay) => spelledDay.Replace(" ", "").Replace("-", "");

    private static Dictionary<string, int> BuildSpelledDays()
    {
        string[] teens =
        [
            "tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth",
            "eighteenth", "nineteenth",
        ];
        var days = new Dictionary<string, int>(StringComparer.Ordinal) { ["twentieth"] = 20, ["thirtieth"] = 30 };
        for (var i = 0; i < OrdinalUnits.Length; i++)
        {
            days[OrdinalUnits[i]] = i + 1;
            days["twenty" + OrdinalUnits[i]] = 21 + i;
            days["thirty" + OrdinalUnits[i]] = 31 + i;
        }
        for (var i = 0; i < teens.Length; i++) days[teens[i]] = 10 + i;
        return days;
    }
}

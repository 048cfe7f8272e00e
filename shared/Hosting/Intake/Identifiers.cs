using System.Globalization;

namespace Icp.Hosting.Intake;

/// <summary>
/// The one rule for identifiers in every service (units, indicators, submissions, referrals, respondents, records,
/// items…): they appear in URLs and stream names, so letters, digits, '-', '_' and '.', 1 to 100 characters.
/// </summary>
public static class Ids
{
    public const int MaxLength = 100;
    public const string Rule = "Use 1–100 letters, digits, '-', '_' or '.'.";

    public static bool IsValid(string? id) =>
        !string.IsNullOrEmpty(id) && id.Length <= MaxLength && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');
}

/// <summary>Months as <c>YYYY-MM</c> and days as <c>YYYY-MM-DD</c>, from 1900 to 2199: the one rule in every service.</summary>
public static class Months
{
    public const string Rule = "Use a month as YYYY-MM.";
    public const string DateRule = "Use a date as YYYY-MM-DD.";

    public static bool TryParse(string? text, out DateOnly month)
    {
        month = default;
        return text is { Length: 7 } && TryParseDate(text + "-01", out month);
    }

    public static bool IsValid(string? text) => TryParse(text, out _);

    public static bool TryParseDate(string? text, out DateOnly date)
    {
        date = default;
        return text is { Length: 10 }
               && DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date)
               && date.Year is >= 1900 and < 2200;
    }

    public static string Format(DateOnly month) => month.ToString("yyyy-MM", CultureInfo.InvariantCulture);

    /// <summary>A month already checked (read back from a store or a chart); anything else is a bug, so it throws.</summary>
    public static DateOnly Parse(string month) =>
        TryParse(month, out var parsed) ? parsed : throw new FormatException($"Not a month: '{month}'.");

    /// <summary>A day already checked, as <see cref="Parse"/>.</summary>
    public static DateOnly ParseDate(string date) =>
        TryParseDate(date, out var parsed) ? parsed : throw new FormatException($"Not a date: '{date}'.");
}

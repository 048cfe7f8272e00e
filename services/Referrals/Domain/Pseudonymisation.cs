using System.Text.RegularExpressions;
using Icp.Privacy;

namespace Icp.Referrals.Domain;

/// <summary>
/// Referral records carry no names, NHS numbers, addresses or contact details. Ids and codes are checked for what would
/// identify a person; fields that could only hold such data are refused by name.
/// </summary>
public static partial class Pseudonymisation
{
    private static readonly string[] IdentifyingFieldWords =
        ["name", "surname", "forename", "nhs", "address", "postcode", "dob", "birth", "email", "phone", "mobile", "telephone"];

    /// <summary>True when a field with this name would carry identifying data (e.g. <c>patientName</c>, <c>nhs_number</c>).</summary>
    public static bool IsIdentifyingFieldName(string field)
    {
        var lower = field.ToLowerInvariant();
        return IdentifyingFieldWords.Any(lower.Contains);
    }

    /// <summary>
    /// Why the text would identify a person, or null: whatever the shared screen finds (NHS numbers, e-mail, phone,
    /// postcodes, dates of birth, however written), and, stricter for ids and codes than for prose, any run of ten or
    /// more digits (an NHS or phone number with its check digit mistyped is still one).
    /// </summary>
    public static string? IdentifyingContent(string text, DateOnly today)
    {
        if (IdentifyingDataScreen.Find(text, today) is [var first, ..]) return "looks like " + IdentifyingDataKind.Describe(first.Kind);
        foreach (Match run in DigitRun().Matches(text))
        {
            var only = run.Value.Count(char.IsAsciiDigit);
            if (only == 10) return "looks like an NHS number";
            if (only >= 11) return "looks like a phone number";
        }
        return null;
    }

    [GeneratedRegex(@"\d[\d \-]{8,}\d")]
    private static partial Regex DigitRun();
}

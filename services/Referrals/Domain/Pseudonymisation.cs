using System.Text.RegularExpressions;

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

    /// <summary>Why the text would identify a person, or null. Checks NHS numbers (10 digits, any spacing), postcodes, e-mail, phone numbers.</summary>
    public static string? IdentifyingContent(string text)
    {
        var digits = DigitRun().Matches(text);
        foreach (Match run in digits)
        {
            var only = new string(run.Value.Where(char.IsAsciiDigit).ToArray());
            if (only.Length == 10) return "looks like an NHS number";
            if (only.Length >= 11) return "looks like a phone number";
        }
        if (text.Contains('@')) return "looks like an e-mail address";
        if (Postcode().IsMatch(text)) return "looks like a postcode";
        return null;
    }

    [GeneratedRegex(@"\d[\d \-]{8,}\d")]
    private static partial Regex DigitRun();

    [GeneratedRegex(@"(^|[^A-Za-z0-9])[A-Za-z]{1,2}\d[A-Za-z\d]?[ \-]?\d[A-Za-z]{2}($|[^A-Za-z0-9])")]
    private static partial Regex Postcode();
}

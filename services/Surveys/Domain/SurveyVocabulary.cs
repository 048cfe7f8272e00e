using System.Globalization;

namespace Icp.Surveys.Domain;

public static class SurveyVocabulary
{
    public const string Scale = "scale";
    public const string FreeText = "freetext";
    public static readonly string[] ItemKinds = [Scale, FreeText];
    public static readonly string[] ScaleTypes = ["agreement", "agreement4", "frequency", "rating", "yesno"];
    public static readonly string[] Scorings = ["none", "pat"];
    public static readonly string[] WaveStatuses = ["open", "closed"];
    public static readonly string[] Sentiments = ["positive", "neutral", "negative"];

    /// <summary>The group of the Partnership Assessment Tool's "is the partnership achieving its aims" item.</summary>
    public const string AimsGroup = "aims";

    /// <summary>Ids appear in URLs and stream names: letters, digits, '-', '_' and '.', up to 100 characters.</summary>
    public static bool IsValidId(string? id) =>
        !string.IsNullOrEmpty(id) && id.Length <= 100 && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');

    /// <summary>A self-generated identification code: 2–20 letters and digits (compared exactly, case-sensitive).</summary>
    public static bool IsValidCode(string? code) =>
        code is { Length: >= 2 and <= 20 } && code.All(char.IsAsciiLetterOrDigit);

    public static bool TryParseMonth(string? text, out DateOnly month)
    {
        month = default;
        return text is { Length: 7 } && DateOnly.TryParseExact(text + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out month);
    }
}

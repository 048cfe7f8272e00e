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

    /// <summary>A self-generated identification code: 2–20 letters and digits (compared exactly, case-sensitive).</summary>
    public static bool IsValidCode(string? code) =>
        code is { Length: >= 2 and <= 20 } && code.All(char.IsAsciiLetterOrDigit);
}

using Icp.Hosting;
using Icp.Hosting.Intake;

namespace Icp.Surveys.Domain;

public sealed record CommentCodingRequest(List<string>? Themes, string? Sentiment, string? CodedBy);

public static class CommentCodingValidation
{
    public const int MaxThemes = 20;

    /// <summary>Themes are trimmed and de-duplicated ignoring case (the first spelling is kept).</summary>
    public static (List<string> Themes, List<ValidationError> Errors) Validate(CommentCodingRequest request)
    {
        var errors = new List<ValidationError>();
        if (request.Sentiment is null || !SurveyVocabulary.Sentiments.Contains(request.Sentiment))
            errors.Add(new(null, "sentiment", $"Must be one of {string.Join(", ", SurveyVocabulary.Sentiments)}."));
        var themes = new List<string>();
        var given = request.Themes ?? [];
        if (given.Count > MaxThemes) errors.Add(new(null, "themes", $"At most {MaxThemes} themes per comment."));
        for (var i = 0; i < given.Count; i++)
        {
            var theme = given[i]?.Trim();
            if (string.IsNullOrEmpty(theme) || theme.Length > 100) errors.Add(new(null, $"themes[{i}]", "A theme has 1–100 characters."));
            else if (!themes.Contains(theme, StringComparer.OrdinalIgnoreCase)) themes.Add(theme);
        }
        Text.Check(errors, null, "codedBy", request.CodedBy, 100);
        return (themes, errors);
    }
}

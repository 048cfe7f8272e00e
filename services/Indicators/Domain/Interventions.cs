using Icp.Hosting;
using Icp.Hosting.Intake;
using Icp.Privacy;

namespace Icp.Indicators.Domain;

/// <summary>An intervention log entry as sent.</summary>
public sealed record InterventionRequest(string? UnitId, string? IndicatorId, string? Month, string? Kind, string? Title,
    string? Description, string? RecordedBy, List<string?>? StoryIds);

public static class InterventionValidation
{
    public static readonly string[] Kinds = ["change", "pdsa", "go-live", "staffing", "other"];
    public const int MaxStories = 50;

    /// <summary>Every problem of the entry, each naming its field; identifying data in its text is one of them.</summary>
    public static List<ValidationError> Validate(string interventionId, InterventionRequest request, DateOnly today)
    {
        var errors = new List<ValidationError>();
        if (!Ids.IsValid(interventionId)) errors.Add(new(null, "interventionId", Ids.Rule));
        if (!Ids.IsValid(request.UnitId)) errors.Add(new(null, "unitId", Ids.Rule));
        if (request.IndicatorId is not null && !Ids.IsValid(request.IndicatorId)) errors.Add(new(null, "indicatorId", Ids.Rule));
        if (!Months.IsValid(request.Month)) errors.Add(new(null, "month", Months.Rule));
        if (request.Kind is not null && !Kinds.Contains(request.Kind))
            errors.Add(new(null, "kind", $"One of {string.Join(", ", Kinds)}."));
        Text.Check(errors, null, "title", request.Title, Text.MaxName, required: true);
        Text.Check(errors, null, "description", request.Description, Text.MaxFreeText);
        Text.Check(errors, null, "recordedBy", request.RecordedBy, Text.MaxName);
        var stories = request.StoryIds ?? [];
        if (stories.Count > MaxStories) errors.Add(new(null, "storyIds", $"At most {MaxStories} stories."));
        for (var i = 0; i < Math.Min(stories.Count, MaxStories); i++)
            if (!Ids.IsValid(stories[i])) errors.Add(new(null, $"storyIds[{i}]", Ids.Rule));
        foreach (var (field, text) in new[] { ("title", request.Title), ("description", request.Description), ("recordedBy", request.RecordedBy) })
            if (errors.All(e => e.Field != field) && text is not null && IdentifyingDataScreen.Find(text, today) is [var first, ..])
                errors.Add(new(null, field, $"Looks like {IdentifyingDataKind.Describe(first.Kind)} at characters " +
                    $"{first.Start + 1}–{first.Start + first.Length}: the log is read by everyone on the programme; remove it."));
        return errors;
    }
}

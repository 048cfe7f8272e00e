using Icp.Contracts.Surveys;
using Icp.Hosting;
using Icp.Hosting.Intake;

namespace Icp.Surveys.Domain;

public sealed record InstrumentRequest(string? Name, string? Scoring, List<ItemRequest?>? Items);

public sealed record ItemRequest(string? ItemId, string? Text, string? ShortLabel, string? Kind, string? ScaleType,
    int? ScaleMin, int? ScaleMax, int? PositiveThreshold, string? Group, List<string>? Levels);

public static class InstrumentValidation
{
    public const int MaxItems = 500;
    public const int MaxScaleLevels = 101;

    /// <summary>Checks a whole instrument and names every bad field (items are numbered from 1 in <c>row</c>).</summary>
    public static (InstrumentDefinedV1? Instrument, List<ValidationError> Errors) Validate(string instrumentId, InstrumentRequest request)
    {
        var errors = new List<ValidationError>();
        if (!Ids.IsValid(instrumentId)) errors.Add(new(null, "instrumentId", Ids.Rule));
        Text.Check(errors, null, "name", request.Name, Text.MaxName, required: true, "A name of 1–200 characters is required.");
        var scoring = request.Scoring ?? "none";
        if (!SurveyVocabulary.Scorings.Contains(scoring))
            errors.Add(new(null, "scoring", $"Must be one of {string.Join(", ", SurveyVocabulary.Scorings)}."));
        if (request.Items is null || request.Items.Count == 0)
        {
            errors.Add(new(null, "items", "An instrument needs at least one item."));
            return (null, errors);
        }
        if (request.Items.Count > MaxItems)
        {
            errors.Add(new(null, "items", $"An instrument may have at most {MaxItems} items."));
            return (null, errors);
        }

        var items = new List<SurveyItem>();
        var firstById = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < request.Items.Count; i++)
        {
            var row = i + 1;
            var item = request.Items[i];
            if (item is null)
            {
                errors.Add(new(row, "item", "The item is empty."));
                continue;
            }
            var before = errors.Count;
            if (!Ids.IsValid(item.ItemId)) errors.Add(new(row, "itemId", Ids.Rule));
            else if (firstById.TryGetValue(item.ItemId!, out var first)) errors.Add(new(row, "itemId", $"Item {first} already has this id."));
            else firstById[item.ItemId!] = row;
            if (string.IsNullOrWhiteSpace(item.Text) || item.Text.Length > 1000) errors.Add(new(row, "text", "The question text (1–1000 characters) is required."));
            if (item.ShortLabel is { Length: > 60 }) errors.Add(new(row, "shortLabel", "A short label has at most 60 characters."));
            if (item.Group is { } group && (string.IsNullOrWhiteSpace(group) || group.Length > 100))
                errors.Add(new(row, "group", "A group name has 1–100 characters."));
            if (item.Kind is null || !SurveyVocabulary.ItemKinds.Contains(item.Kind))
                errors.Add(new(row, "kind", $"Must be one of {string.Join(", ", SurveyVocabulary.ItemKinds)}."));
            else if (item.Kind == SurveyVocabulary.Scale) CheckScale(item, row, errors);
            else CheckFreeText(item, row, errors);
            if (errors.Count > before) continue;
            items.Add(new SurveyItem(item.ItemId!, item.Text!.Trim(), item.ShortLabel?.Trim(), item.Kind!, item.ScaleType,
                item.ScaleMin, item.ScaleMax, item.PositiveThreshold, item.Group, item.Levels));
        }
        if (errors.Count == 0 && scoring == "pat") CheckPartnershipAssessment(items, errors);
        return errors.Count == 0 ? (new InstrumentDefinedV1(instrumentId, request.Name!.Trim(), scoring, items), errors) : (null, errors);
    }

    private static void CheckScale(ItemRequest item, int row, List<ValidationError> errors)
    {
        if (item.ScaleType is not null && !SurveyVocabulary.ScaleTypes.Contains(item.ScaleType))
            errors.Add(new(row, "scaleType", $"Must be one of {string.Join(", ", SurveyVocabulary.ScaleTypes)}."));
        if (item.ScaleMin is null) errors.Add(new(row, "scaleMin", "A scale item needs its lowest level."));
        if (item.ScaleMax is null) errors.Add(new(row, "scaleMax", "A scale item needs its highest level."));
        if (item is not { ScaleMin: { } min, ScaleMax: { } max })
        {
            if (item.PositiveThreshold is null) errors.Add(new(row, "positiveThreshold", "Say from which level an answer counts as positive."));
            return;
        }
        if (min < 0) errors.Add(new(row, "scaleMin", "Scale levels are whole numbers from 0."));
        if (max <= min) errors.Add(new(row, "scaleMax", "The highest level must be above the lowest."));
        else if (max - min + 1 > MaxScaleLevels) errors.Add(new(row, "scaleMax", $"A scale has at most {MaxScaleLevels} levels."));
        if (item.PositiveThreshold is not { } threshold) errors.Add(new(row, "positiveThreshold", "Say from which level an answer counts as positive."));
        else if (threshold < min || threshold > max) errors.Add(new(row, "positiveThreshold", $"Must lie on the scale {min}–{max}."));
        if (item.Levels is { } levels && max > min)
        {
            if (levels.Count != max - min + 1) errors.Add(new(row, "levels", $"Give one label per level: {max - min + 1} labels for {min}–{max}."));
            else if (levels.Any(l => string.IsNullOrWhiteSpace(l) || l.Length > 100)) errors.Add(new(row, "levels", "Every level label has 1–100 characters."));
        }
    }

    private static void CheckFreeText(ItemRequest item, int row, List<ValidationError> errors)
    {
        if (item.ScaleMin is not null || item.ScaleMax is not null || item.PositiveThreshold is not null || item.Levels is not null || item.ScaleType is not null)
            errors.Add(new(row, "kind", "A free-text item has no scale (scaleType, scaleMin, scaleMax, positiveThreshold, levels)."));
    }

    /// <summary>Six principles ("1".."6") of six statements each on 1–4, plus at most one "aims" item.</summary>
    private static void CheckPartnershipAssessment(List<SurveyItem> items, List<ValidationError> errors)
    {
        for (var p = 1; p <= 6; p++)
        {
            var group = p.ToString();
            var statements = items.Where(i => i.Group == group).ToList();
            if (statements.Count != 6)
                errors.Add(new(null, "items", $"Principle {p} needs exactly 6 statements (group \"{group}\"); it has {statements.Count}."));
            foreach (var s in statements.Where(s => s is not { Kind: SurveyVocabulary.Scale, ScaleMin: 1, ScaleMax: 4 }))
                errors.Add(new(items.IndexOf(s) + 1, "scaleMin", $"Statement {s.ItemId} of principle {p} must be a scale item on 1–4."));
        }
        var aims = items.Where(i => i.Group == SurveyVocabulary.AimsGroup).ToList();
        if (aims.Count > 1) errors.Add(new(null, "items", "At most one item may ask whether the partnership is achieving its aims."));
        foreach (var a in aims.Where(a => a.Kind != SurveyVocabulary.Scale))
            errors.Add(new(items.IndexOf(a) + 1, "kind", "The aims item is a scale item (agree at or above its positive threshold)."));
    }

    /// <summary>
    /// Once a wave of the instrument has responses, the meaning of its stored answers must not change: every scale
    /// item keeps its id and scale, and no item is removed. Wording, labels, thresholds and new items are fine.
    /// </summary>
    public static List<string> IncompatibleChanges(InstrumentDefinedV1 current, InstrumentDefinedV1 proposed)
    {
        var problems = new List<string>();
        var byId = proposed.Items.ToDictionary(i => i.ItemId, StringComparer.Ordinal);
        foreach (var item in current.Items)
        {
            if (!byId.TryGetValue(item.ItemId, out var next)) problems.Add($"Item {item.ItemId} has responses and cannot be removed.");
            else if (next.Kind != item.Kind) problems.Add($"Item {item.ItemId} has responses and cannot change from {item.Kind} to {next.Kind}.");
            else if (next.ScaleMin != item.ScaleMin || next.ScaleMax != item.ScaleMax)
                problems.Add($"Item {item.ItemId} has responses on {item.ScaleMin}–{item.ScaleMax}; its scale cannot change.");
        }
        if (current.Scoring != proposed.Scoring) problems.Add($"The scoring cannot change from {current.Scoring} once there are responses.");
        return problems;
    }
}

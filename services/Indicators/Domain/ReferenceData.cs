using System.Globalization;
using Icp.Hosting;

namespace Icp.Indicators.Domain;

/// <summary>A unit as sent. <c>Attributes</c> absent keeps the unit's dated attributes; present, it replaces them.</summary>
public sealed record UnitRequest(string? Name, string? Kind, string? ParentId, string? Role, string? GoLive,
    List<UnitAttributeRequest?>? Attributes = null);

/// <summary>A dated attribute: <c>Name</c> holds <c>Value</c> from the month <c>From</c> until a later entry of the same name.</summary>
public sealed record UnitAttributeRequest(string? Name, string? Value, string? From);

public sealed record IndicatorRequest(string? Name, string? Domain, string? Measure, string? Improvement,
    double? Target, string? Chart, string? UnitLabel, double? Multiplier,
    List<string>? Phases = null, int? ShiftLength = null, int? TrendLength = null, List<string>? Categories = null);

public static class Vocabulary
{
    public static readonly string[] UnitKinds = ["system", "locality", "neighbourhood", "team"];
    public static readonly string[] UnitRoles = ["intervention", "comparison", "none"];
    public static readonly string[] Measures = ["count", "proportion", "rate", "mean"];
    public static readonly string[] Improvements = ["increase", "decrease", "neutral"];
    public static readonly string[] Charts = ["xmr", "p", "pprime", "u", "uprime", "c"];

    /// <summary>The chart NHS analysts would draw for a measure when the indicator names none.</summary>
    public static string DefaultChart(string measure) => measure switch
    {
        "proportion" => "p",
        "rate" => "u",
        _ => "xmr",
    };

    public static bool IsRatio(string measure) => measure is "proportion" or "rate";

    /// <summary>Ids appear in URLs and stream names: letters, digits, '-', '_' and '.', up to 100 characters.</summary>
    public static bool IsValidId(string? id) =>
        !string.IsNullOrEmpty(id) && id.Length <= 100 && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');

    public static bool TryParseMonth(string? text, out DateOnly month)
    {
        month = default;
        return text is { Length: 7 } && DateOnly.TryParseExact(text + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out month);
    }
}

public static class ReferenceDataValidation
{
    public const int MaxCategories = 50;

    public static List<ValidationError> Validate(string unitId, UnitRequest request)
    {
        var errors = new List<ValidationError>();
        if (!Vocabulary.IsValidId(unitId)) errors.Add(new(null, "unitId", "Use 1–100 letters, digits, '-', '_' or '.'."));
        if (string.IsNullOrWhiteSpace(request.Name)) errors.Add(new(null, "name", "A name is required."));
        if (request.Kind is null || !Vocabulary.UnitKinds.Contains(request.Kind))
            errors.Add(new(null, "kind", $"Must be one of {string.Join(", ", Vocabulary.UnitKinds)}."));
        if (request.Role is not null && !Vocabulary.UnitRoles.Contains(request.Role))
            errors.Add(new(null, "role", $"Must be one of {string.Join(", ", Vocabulary.UnitRoles)}."));
        if (request.ParentId is not null && !Vocabulary.IsValidId(request.ParentId))
            errors.Add(new(null, "parentId", "Not a valid unit id."));
        if (request.ParentId == unitId) errors.Add(new(null, "parentId", "A unit cannot be its own parent."));
        if (request.GoLive is not null && !Vocabulary.TryParseMonth(request.GoLive, out _))
            errors.Add(new(null, "goLive", "Use a month as YYYY-MM."));
        if (request.Role == "intervention" && request.GoLive is null)
            errors.Add(new(null, "goLive", "An intervention unit needs its go-live month."));
        if (request.Attributes is { } attributes) ValidateAttributes(attributes, errors);
        return errors;
    }

    public static void ValidateAttributes(IReadOnlyList<UnitAttributeRequest?> attributes, List<ValidationError> errors)
    {
        var seen = new HashSet<(string, string)>();
        for (var i = 0; i < attributes.Count; i++)
        {
            var field = $"attributes[{i}]";
            if (attributes[i] is not { } attribute)
            {
                errors.Add(new(null, field, "An attribute needs a name, a value and a from month."));
                continue;
            }
            var before = errors.Count;
            if (!Vocabulary.IsValidId(attribute.Name)) errors.Add(new(null, $"{field}.name", "Use 1–100 letters, digits, '-', '_' or '.'."));
            if (string.IsNullOrWhiteSpace(attribute.Value) || attribute.Value.Length > 200)
                errors.Add(new(null, $"{field}.value", "Give a value of 1–200 characters."));
            if (!Vocabulary.TryParseMonth(attribute.From, out _)) errors.Add(new(null, $"{field}.from", "Use a month as YYYY-MM."));
            if (errors.Count == before && !seen.Add((attribute.Name!, attribute.From!)))
                errors.Add(new(null, $"{field}.from", $"'{attribute.Name}' already has a value from {attribute.From}."));
        }
    }

    public static List<ValidationError> Validate(string indicatorId, IndicatorRequest request)
    {
        var errors = new List<ValidationError>();
        if (!Vocabulary.IsValidId(indicatorId)) errors.Add(new(null, "indicatorId", "Use 1–100 letters, digits, '-', '_' or '.'."));
        if (string.IsNullOrWhiteSpace(request.Name)) errors.Add(new(null, "name", "A name is required."));
        if (string.IsNullOrWhiteSpace(request.Domain)) errors.Add(new(null, "domain", "A domain is required."));
        if (request.Measure is null || !Vocabulary.Measures.Contains(request.Measure))
            errors.Add(new(null, "measure", $"Must be one of {string.Join(", ", Vocabulary.Measures)}."));
        if (request.Improvement is null || !Vocabulary.Improvements.Contains(request.Improvement))
            errors.Add(new(null, "improvement", $"Must be one of {string.Join(", ", Vocabulary.Improvements)}."));
        if (request.Chart is not null && !Vocabulary.Charts.Contains(request.Chart))
            errors.Add(new(null, "chart", $"Must be one of {string.Join(", ", Vocabulary.Charts)}."));
        if (request.Target is { } target && (!double.IsFinite(target) || request.Measure == "proportion" && target is < 0 or > 1))
            errors.Add(new(null, "target", request.Measure == "proportion" ? "A proportion target is a fraction from 0 to 1." : "Must be a finite number."));
        if (request.Multiplier is { } multiplier && (!double.IsFinite(multiplier) || multiplier <= 0))
            errors.Add(new(null, "multiplier", "Must be a positive number."));
        foreach (var month in request.Phases ?? [])
            if (!Vocabulary.TryParseMonth(month, out _)) errors.Add(new(null, "phases", $"'{month}' is not a month (YYYY-MM)."));
        if (request.ShiftLength is < 6 or > 8) errors.Add(new(null, "shiftLength", "Must be from 6 to 8 points."));
        if (request.TrendLength is < 6 or > 8) errors.Add(new(null, "trendLength", "Must be from 6 to 8 points."));
        if (request.Categories is { } categories)
        {
            if (categories.Count is 0 or > MaxCategories)
                errors.Add(new(null, "categories", $"Give 1–{MaxCategories} categories, or leave categories out."));
            foreach (var category in categories)
                if (!Vocabulary.IsValidId(category)) errors.Add(new(null, "categories", $"'{category}': use 1–100 letters, digits, '-', '_' or '.'."));
            foreach (var repeated in categories.GroupBy(c => c).Where(g => g.Count() > 1))
                errors.Add(new(null, "categories", $"'{repeated.Key}' is listed more than once."));
        }
        return errors;
    }
}

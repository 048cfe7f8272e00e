using Icp.Hosting;
using Icp.Hosting.Intake;

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

    /// <summary>The largest monthly count (and numerator or denominator of a proportion) of one unit: a neighbourhood of
    /// 50,000 people does not have ten million of anything in a month.</summary>
    public const double MaxCount = 10_000_000;

    /// <summary>The largest magnitude of a mean, a rate's numerator or denominator, a target or a multiplier.</summary>
    public const double MaxAmount = 1_000_000_000;
}

public static class ReferenceDataValidation
{
    public const int MaxCategories = 50;

    public static List<ValidationError> Validate(string unitId, UnitRequest request)
    {
        var errors = new List<ValidationError>();
        if (!Ids.IsValid(unitId)) errors.Add(new(null, "unitId", Ids.Rule));
        Text.Check(errors, null, "name", request.Name, Text.MaxName, required: true, "A name is required.");
        if (request.Kind is null || !Vocabulary.UnitKinds.Contains(request.Kind))
            errors.Add(new(null, "kind", $"Must be one of {string.Join(", ", Vocabulary.UnitKinds)}."));
        if (request.Role is not null && !Vocabulary.UnitRoles.Contains(request.Role))
            errors.Add(new(null, "role", $"Must be one of {string.Join(", ", Vocabulary.UnitRoles)}."));
        if (request.ParentId is not null && !Ids.IsValid(request.ParentId))
            errors.Add(new(null, "parentId", "Not a valid unit id. " + Ids.Rule));
        if (request.ParentId == unitId) errors.Add(new(null, "parentId", "A unit cannot be its own parent."));
        if (request.GoLive is not null && !Months.IsValid(request.GoLive))
            errors.Add(new(null, "goLive", Months.Rule));
        if (request.Role == "intervention" && request.GoLive is null)
            errors.Add(new(null, "goLive", "An intervention unit needs its go-live month."));
        if (request.Attributes is { } attributes) ValidateAttributes(attributes, errors);
        return errors;
    }

    public const int MaxAttributes = 100;

    public static void ValidateAttributes(IReadOnlyList<UnitAttributeRequest?> attributes, List<ValidationError> errors)
    {
        if (attributes.Count > MaxAttributes)
        {
            errors.Add(new(null, "attributes", $"At most {MaxAttributes} dated attributes."));
            return;
        }
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
            if (!Ids.IsValid(attribute.Name)) errors.Add(new(null, $"{field}.name", Ids.Rule));
            Text.Check(errors, null, $"{field}.value", attribute.Value, Text.MaxName, required: true, "Give a value of 1–200 characters.");
            if (!Months.IsValid(attribute.From)) errors.Add(new(null, $"{field}.from", Months.Rule));
            if (errors.Count == before && !seen.Add((attribute.Name!, attribute.From!)))
                errors.Add(new(null, $"{field}.from", $"{Text.Echo(attribute.Name)} already has a value from {attribute.From}."));
        }
    }

    public const int MaxPhases = 50;

    public static List<ValidationError> Validate(string indicatorId, IndicatorRequest request)
    {
        var errors = new List<ValidationError>();
        if (!Ids.IsValid(indicatorId)) errors.Add(new(null, "indicatorId", Ids.Rule));
        Text.Check(errors, null, "name", request.Name, Text.MaxName, required: true, "A name is required.");
        Text.Check(errors, null, "domain", request.Domain, Text.MaxName, required: true, "A domain is required.");
        Text.Check(errors, null, "unitLabel", request.UnitLabel, 50);
        if (request.Measure is null || !Vocabulary.Measures.Contains(request.Measure))
            errors.Add(new(null, "measure", $"Must be one of {string.Join(", ", Vocabulary.Measures)}."));
        if (request.Improvement is null || !Vocabulary.Improvements.Contains(request.Improvement))
            errors.Add(new(null, "improvement", $"Must be one of {string.Join(", ", Vocabulary.Improvements)}."));
        if (request.Chart is not null && !Vocabulary.Charts.Contains(request.Chart))
            errors.Add(new(null, "chart", $"Must be one of {string.Join(", ", Vocabulary.Charts)}."));
        if (request.Target is { } target)
        {
            if (request.Measure == "proportion" && target is not (>= 0 and <= 1))
                errors.Add(new(null, "target", "A proportion target is a fraction from 0 to 1."));
            else if (!double.IsFinite(target) || Math.Abs(target) > Vocabulary.MaxAmount)
                errors.Add(new(null, "target", $"Must be a number from -{Vocabulary.MaxAmount:N0} to {Vocabulary.MaxAmount:N0}."));
        }
        if (request.Multiplier is { } multiplier && (!double.IsFinite(multiplier) || multiplier <= 0 || multiplier > Vocabulary.MaxAmount))
            errors.Add(new(null, "multiplier", $"Must be a positive number up to {Vocabulary.MaxAmount:N0}."));
        if (request.Phases is { Count: > MaxPhases }) errors.Add(new(null, "phases", $"At most {MaxPhases} phases."));
        else
            foreach (var month in request.Phases ?? [])
                if (!Months.IsValid(month)) errors.Add(new(null, "phases", $"{Text.Echo(month)} is not a month (YYYY-MM)."));
        if (request.ShiftLength is < 6 or > 8) errors.Add(new(null, "shiftLength", "Must be from 6 to 8 points."));
        if (request.TrendLength is < 6 or > 8) errors.Add(new(null, "trendLength", "Must be from 6 to 8 points."));
        if (request.Categories is { } categories)
        {
            if (categories.Count is 0 or > MaxCategories)
                errors.Add(new(null, "categories", $"Give 1–{MaxCategories} categories, or leave categories out."));
            else
            {
                foreach (var category in categories)
                    if (!Ids.IsValid(category)) errors.Add(new(null, "categories", $"{Text.Echo(category)}: {Ids.Rule}"));
                foreach (var repeated in categories.GroupBy(c => c).Where(g => g.Count() > 1))
                    errors.Add(new(null, "categories", $"{Text.Echo(repeated.Key)} is listed more than once."));
            }
        }
        return errors;
    }
}

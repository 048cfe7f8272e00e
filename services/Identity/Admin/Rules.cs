using Icp.Hosting.Security;
using Icp.Hosting;
using Icp.Hosting.Intake;

namespace Icp.Identity.Admin;

/// <summary>Checks shared by the admin requests, each naming the bad field as the rest of the platform does.</summary>
public static class Rules
{
    public static void Id(List<ValidationError> errors, string field, string? value, bool required)
    {
        if (string.IsNullOrEmpty(value))
        {
            if (required) errors.Add(new(null, field, "Required."));
            return;
        }
        if (!Ids.IsValid(value)) errors.Add(new(null, field, $"Not a valid id ({Text.Echo(value)}). {Ids.Rule}"));
    }

    /// <summary>A list of ids: at most <paramref name="max"/>, each valid, none twice.</summary>
    public static void IdList(List<ValidationError> errors, string field, List<string>? values, int max, bool required)
    {
        if (values is null or { Count: 0 })
        {
            if (required) errors.Add(new(null, field, "Give at least one."));
            return;
        }
        if (values.Count > max)
        {
            errors.Add(new(null, field, $"At most {max} ({values.Count} given)."));
            return;
        }
        for (var i = 0; i < values.Count; i++) Id(errors, $"{field}[{i}]", values[i], required: true);
        Distinct(errors, field, values);
    }

    /// <summary>The systems a client or person belongs to: system unit ids, or <c>*</c> alone for every system.</summary>
    public static void Systems(List<ValidationError> errors, List<string>? values, int max, bool required)
    {
        if (values is [CallerClaims.AllSystems]) return;
        if (values?.Contains(CallerClaims.AllSystems) == true)
        {
            errors.Add(new(null, "systems", "'*' (every system) stands alone."));
            return;
        }
        IdList(errors, "systems", values, max, required);
    }

    /// <summary>A list whose items must come from <paramref name="allowed"/>.</summary>
    public static void OneOf(List<ValidationError> errors, string field, List<string>? values, IEnumerable<string> allowed,
        bool required)
    {
        if (values is null or { Count: 0 })
        {
            if (required) errors.Add(new(null, field, "Give at least one."));
            return;
        }
        var known = allowed.ToList();
        if (values.Count > known.Count)
        {
            errors.Add(new(null, field, $"At most {known.Count} ({values.Count} given)."));
            return;
        }
        for (var i = 0; i < values.Count; i++)
            if (!known.Contains(values[i]))
                errors.Add(new(null, $"{field}[{i}]", $"Unknown: {Text.Echo(values[i])}. Use one of: {string.Join(", ", known)}."));
        Distinct(errors, field, values);
    }

    private static void Distinct(List<ValidationError> errors, string field, List<string> values)
    {
        foreach (var repeated in values.Where(v => v is not null).GroupBy(v => v, StringComparer.OrdinalIgnoreCase)
                     .Where(g => g.Count() > 1))
            errors.Add(new(null, field, $"{Text.Echo(repeated.Key)} is given {repeated.Count()} times."));
    }
}

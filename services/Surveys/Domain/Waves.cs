using Icp.Contracts.Surveys;
using Icp.Hosting;
using Icp.Hosting.Intake;

namespace Icp.Surveys.Domain;

public sealed record WaveRequest(string? InstrumentId, string? Name, string? Month, int? Invited, List<string>? UnitIds,
    List<string>? Organisations, string? Status);

public static class WaveValidation
{
    public const int MaxUnits = 500;
    public const int MaxOrganisations = 100;

    /// <summary>
    /// Checks a wave against the instrument ids known and the wave as it stands (null when new). An omitted status
    /// keeps the current one (a new wave opens).
    /// </summary>
    public static (WaveDefinedV1? Wave, List<ValidationError> Errors) Validate(string waveId, WaveRequest request,
        bool instrumentExists, WaveDefinedV1? current, int responsesReceived)
    {
        var errors = new List<ValidationError>();
        if (!Ids.IsValid(waveId)) errors.Add(new(null, "waveId", Ids.Rule));
        if (!Ids.IsValid(request.InstrumentId)) errors.Add(new(null, "instrumentId", "An instrument id is required."));
        else if (!instrumentExists) errors.Add(new(null, "instrumentId", $"Unknown instrument {Text.Echo(request.InstrumentId)}."));
        else if (current is not null && responsesReceived > 0 && current.InstrumentId != request.InstrumentId)
            errors.Add(new(null, "instrumentId", $"The wave already has {responsesReceived} responses to '{current.InstrumentId}'; its instrument cannot change."));
        Text.Check(errors, null, "name", request.Name, Text.MaxName);
        if (!Months.IsValid(request.Month)) errors.Add(new(null, "month", "Use a month as YYYY-MM."));
        if (request.Invited is < 0) errors.Add(new(null, "invited", "The number invited cannot be negative."));
        else if (request.Invited is { } invited && invited < responsesReceived)
            errors.Add(new(null, "invited", $"{responsesReceived} responses were already received, more than {invited} invited."));
        var unitIds = request.UnitIds ?? [];
        if (unitIds.Count > MaxUnits) errors.Add(new(null, "unitIds", $"At most {MaxUnits} units."));
        else
            for (var i = 0; i < unitIds.Count; i++)
                if (!Ids.IsValid(unitIds[i])) errors.Add(new(null, $"unitIds[{i}]", "Not a valid unit id. " + Ids.Rule));
        var organisations = request.Organisations ?? [];
        if (organisations.Count > MaxOrganisations) errors.Add(new(null, "organisations", $"At most {MaxOrganisations} organisations."));
        else
            for (var i = 0; i < organisations.Count; i++)
                Text.Check(errors, null, $"organisations[{i}]", organisations[i], Text.MaxName, required: true,
                    "An organisation name has 1–200 characters.");
        var status = request.Status ?? current?.Status ?? "open";
        if (!SurveyVocabulary.WaveStatuses.Contains(status))
            errors.Add(new(null, "status", $"Must be one of {string.Join(", ", SurveyVocabulary.WaveStatuses)}."));
        if (errors.Count > 0) return (null, errors);
        return (new WaveDefinedV1(waveId, request.InstrumentId!, request.Name?.Trim(), request.Month!, request.Invited,
            unitIds.Distinct(StringComparer.Ordinal).ToList(), organisations.Select(o => o.Trim()).Distinct(StringComparer.Ordinal).ToList(),
            status), errors);
    }
}

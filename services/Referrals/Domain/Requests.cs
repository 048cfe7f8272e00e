using System.Text.Json;
using System.Text.Json.Serialization;
using Icp.Hosting;
using Icp.Hosting.Intake;

namespace Icp.Referrals.Domain;

/// <summary>One lifecycle step as sent (a JSON object or a CSV row). Any other field is refused.</summary>
public sealed record ReferralStepRequest(string? ReferralId, string? Step, string? Date, string? UnitId = null, string? Source = null,
    string? Destination = null, string? Outcome = null, string? RedirectedTo = null, string? Reason = null)
{
    [JsonExtensionData] public Dictionary<string, JsonElement>? Unexpected { get; init; }
}

public sealed record ReferralBulkRequest(string? SubmissionId, string? Source, List<ReferralStepRequest?>? Rows)
{
    [JsonExtensionData] public Dictionary<string, JsonElement>? Unexpected { get; init; }
}

public static class ReferralValidation
{
    public const int MaxRows = 100_000;

    /// <summary>Checks one step on its own (fields, vocabulary, dates, no identifying data); <paramref name="row"/> names it in errors.</summary>
    public static ReferralStep? Validate(ReferralStepRequest request, int? row, DateOnly today, List<ValidationError> errors,
        IEnumerable<string>? extraFields = null)
    {
        var before = errors.Count;
        foreach (var field in (request.Unexpected?.Keys ?? Enumerable.Empty<string>()).Concat(extraFields ?? []))
            errors.Add(new(row, field, Pseudonymisation.IsIdentifyingFieldName(field)
                ? "Referral records are pseudonymised: names, NHS numbers, addresses, dates of birth and contact details are not accepted."
                : "Not a field of a referral step."));

        if (string.IsNullOrEmpty(request.ReferralId)) errors.Add(new(row, "referralId", "A pseudonymous referral id is required."));
        else if (!Ids.IsValid(request.ReferralId)) errors.Add(new(row, "referralId", Ids.Rule));
        else if (Pseudonymisation.IdentifyingContent(request.ReferralId, today) is { } why)
            errors.Add(new(row, "referralId", $"The id {why}: send a pseudonymous id."));

        if (request.Step is null || !Steps.All.Contains(request.Step))
            errors.Add(new(row, "step", $"Must be one of {string.Join(", ", Steps.All)}."));

        if (!Months.TryParseDate(request.Date, out var date))
            errors.Add(new(row, "date", Months.DateRule));
        else if (date > today) errors.Add(new(row, "date", $"{request.Date} is in the future."));
        else if (date.Year < 2000) errors.Add(new(row, "date", "Dates before 2000 are not accepted."));

        var step = request.Step;
        Require(step == Steps.Received, request.UnitId, "unitId", row, errors);
        Require(step == Steps.Received, request.Source, "source", row, errors);
        Require(step == Steps.Received, request.Destination, "destination", row, errors);
        Require(step == Steps.Triaged, request.Outcome, "outcome", row, errors);
        Require(step == Steps.Discharged, request.Reason, "reason", row, errors);
        if (request.RedirectedTo is not null && request.Outcome != "redirected")
            errors.Add(new(row, "redirectedTo", "Only a redirected referral names where it went."));

        if (request.UnitId is not null && !Ids.IsValid(request.UnitId)) errors.Add(new(row, "unitId", Ids.Rule));
        CheckCode(request.Source, "source", row, errors, today);
        CheckCode(request.Destination, "destination", row, errors, today);
        CheckCode(request.RedirectedTo, "redirectedTo", row, errors, today);
        if (request.Outcome is not null && !Steps.TriageOutcomes.Contains(request.Outcome))
            errors.Add(new(row, "outcome", $"Must be one of {string.Join(", ", Steps.TriageOutcomes)}."));
        if (request.Outcome == "redirected" && request.RedirectedTo is null)
            errors.Add(new(row, "redirectedTo", "A redirected referral names the service it went to."));
        if (request.Reason is not null && !Steps.DischargeReasons.Contains(request.Reason))
            errors.Add(new(row, "reason", $"Must be one of {string.Join(", ", Steps.DischargeReasons)}."));

        if (errors.Count > before) return null;
        return new ReferralStep(request.ReferralId!, step!, date, request.UnitId, request.Source, request.Destination,
            request.Outcome, request.RedirectedTo, request.Reason);
    }

    private static void Require(bool needed, string? value, string field, int? row, List<ValidationError> errors)
    {
        if (needed && string.IsNullOrEmpty(value)) errors.Add(new(row, field, "Required for this step."));
        else if (!needed && value is not null) errors.Add(new(row, field, "Not part of this step."));
    }

    // Sources and services are codes of a vocabulary the programme keeps: lower case, like "district-nursing".
    private static void CheckCode(string? value, string field, int? row, List<ValidationError> errors, DateOnly today)
    {
        if (string.IsNullOrEmpty(value)) return;
        if (!IsCode(value))
            errors.Add(new(row, field, "Use a code of 1–64 lower-case letters, digits, '-' or '_' (e.g. district-nursing)."));
        else if (Pseudonymisation.IdentifyingContent(value, today) is { } why) errors.Add(new(row, field, $"The code {why}."));
    }

    private static bool IsCode(string value) =>
        value.Length is > 0 and <= 64 && value.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '_');
}

/// <summary>The events a batch of steps gives for each referral it touches, in row order, or every reason it cannot be applied.</summary>
public sealed record ReferralPlan(Dictionary<string, (ReferralState? Before, ReferralState After, List<object> Events)> Changes,
    List<ValidationError> Errors)
{
    public int EventCount => Changes.Values.Sum(c => c.Events.Count);
}

public static class ReferralBatch
{
    /// <summary>
    /// Applies the steps in the order given, each to the state the steps before it left (so one submission may carry a
    /// referral's whole lifecycle). <paramref name="current"/> holds the stored state of the referrals named.
    /// </summary>
    public static ReferralPlan Plan(IReadOnlyList<(int? Row, ReferralStep Step)> steps, IReadOnlyDictionary<string, ReferralState> current)
    {
        var changes = new Dictionary<string, (ReferralState? Before, ReferralState After, List<object> Events)>(StringComparer.Ordinal);
        var errors = new List<ValidationError>();
        foreach (var (row, step) in steps)
        {
            var state = changes.TryGetValue(step.ReferralId, out var changed) ? changed.After : current.GetValueOrDefault(step.ReferralId);
            var outcome = Lifecycle.Apply(state, step);
            if (outcome.Refusal is not null)
            {
                errors.Add(new(row, outcome.Field, outcome.Refusal));
                continue;
            }
            if (outcome.Event is null) continue;
            if (changed.Events is null)
                changes[step.ReferralId] = (current.GetValueOrDefault(step.ReferralId), outcome.State!, [outcome.Event]);
            else
            {
                changed.Events.Add(outcome.Event);
                changes[step.ReferralId] = (changed.Before, outcome.State!, changed.Events);
            }
        }
        return new ReferralPlan(errors.Count == 0 ? changes : [], errors);
    }
}

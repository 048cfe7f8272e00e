using Icp.Contracts.Referrals;

namespace Icp.Referrals.Domain;

public static class Steps
{
    public const string Received = "received";
    public const string Triaged = "triaged";
    public const string Assessed = "assessed";
    public const string ServiceStarted = "service_started";
    public const string Discharged = "discharged";
    public static readonly string[] All = [Received, Triaged, Assessed, ServiceStarted, Discharged];

    public static readonly string[] TriageOutcomes = ["accepted", "declined_inappropriate", "redirected"];
    public static readonly string[] DischargeReasons = ["positive", "negative"];
}

/// <summary>One validated lifecycle step of one referral.</summary>
public sealed record ReferralStep(string ReferralId, string Step, DateOnly Date, string? UnitId = null, string? Source = null,
    string? Destination = null, string? Outcome = null, string? RedirectedTo = null, string? Reason = null);

/// <summary>Where a referral stands. <c>Stage</c>: received | triaged | closed | assessed | in_service | discharged.</summary>
public sealed record ReferralState(string ReferralId, string UnitId, string Source, string Destination, DateOnly ReceivedOn,
    DateOnly? TriagedOn = null, string? Outcome = null, string? RedirectedTo = null, DateOnly? AssessedOn = null,
    DateOnly? StartedOn = null, DateOnly? DischargedOn = null, string? DischargeReason = null)
{
    public string Stage =>
        DischargedOn is not null ? "discharged"
        : StartedOn is not null ? "in_service"
        : AssessedOn is not null ? "assessed"
        : Outcome is "declined_inappropriate" or "redirected" ? "closed"
        : TriagedOn is not null ? "triaged"
        : "received";
}

/// <summary>What applying a step gives: a new state and its event, no change (the same step again), or the reason it is refused.</summary>
public sealed record StepOutcome(ReferralState? State, object? Event, string? Refusal, string Field = "step")
{
    public static StepOutcome Unchanged(ReferralState state) => new(state, null, null);
    public static StepOutcome Refused(string reason, string field = "step") => new(null, null, reason, field);
}

/// <summary>
/// The referral lifecycle: received → triaged (accepted | declined_inappropriate | redirected) → assessed (accepted only)
/// → service_started → discharged (discharge may also follow assessment directly). Each step is dated on or after the one
/// before. Sending a step that is already recorded with the same details changes nothing; with other details it is refused.
/// </summary>
public static class Lifecycle
{
    public static StepOutcome Apply(ReferralState? state, ReferralStep step)
    {
        if (step.Step == Steps.Received) return Receive(state, step);
        if (state is null)
            return Refused($"Referral '{step.ReferralId}' has not been received: send its 'received' step first.");

        return step.Step switch
        {
            Steps.Triaged => Triage(state, step),
            Steps.Assessed => Assess(state, step),
            Steps.ServiceStarted => Start(state, step),
            Steps.Discharged => Discharge(state, step),
            _ => Refused($"Unknown step '{step.Step}'."),
        };
    }

    private static StepOutcome Refused(string reason, string field = "step") => StepOutcome.Refused(reason, field);

    private static StepOutcome Receive(ReferralState? state, ReferralStep step)
    {
        if (state is not null)
            return state.UnitId == step.UnitId && state.Source == step.Source && state.Destination == step.Destination && state.ReceivedOn == step.Date
                ? StepOutcome.Unchanged(state)
                : Refused($"Referral '{step.ReferralId}' was already received on {state.ReceivedOn:yyyy-MM-dd} with other details.");
        var received = new ReferralState(step.ReferralId, step.UnitId!, step.Source!, step.Destination!, step.Date);
        return new(received, new ReferralReceivedV1(received.ReferralId, received.UnitId, received.Source, received.Destination, received.ReceivedOn), null);
    }

    private static StepOutcome Triage(ReferralState state, ReferralStep step)
    {
        if (state.TriagedOn is { } triaged)
            return triaged == step.Date && state.Outcome == step.Outcome && state.RedirectedTo == step.RedirectedTo
                ? StepOutcome.Unchanged(state)
                : Refused($"Referral '{state.ReferralId}' was already triaged on {triaged:yyyy-MM-dd} ({state.Outcome}).");
        if (step.Date < state.ReceivedOn) return Before(step, "received", state.ReceivedOn);
        var next = state with { TriagedOn = step.Date, Outcome = step.Outcome, RedirectedTo = step.RedirectedTo };
        return new(next, new ReferralTriagedV1(next.ReferralId, next.UnitId, next.Source, next.Destination, next.ReceivedOn,
            step.Date, step.Outcome!, step.RedirectedTo), null);
    }

    private static StepOutcome Assess(ReferralState state, ReferralStep step)
    {
        if (state.AssessedOn is { } assessed)
            return assessed == step.Date ? StepOutcome.Unchanged(state)
                : Refused($"Referral '{state.ReferralId}' was already assessed on {assessed:yyyy-MM-dd}.");
        if (state.TriagedOn is not { } triaged) return Refused($"Referral '{state.ReferralId}' must be triaged before it is assessed.");
        if (state.Outcome != "accepted")
            return Refused($"Referral '{state.ReferralId}' was triaged as {state.Outcome}: only an accepted referral is assessed.");
        if (step.Date < triaged) return Before(step, "triaged", triaged);
        var next = state with { AssessedOn = step.Date };
        return new(next, new ReferralAssessedV1(next.ReferralId, next.UnitId, next.Source, next.Destination, next.ReceivedOn,
            step.Date, step.Date.DayNumber - next.ReceivedOn.DayNumber), null);
    }

    private static StepOutcome Start(ReferralState state, ReferralStep step)
    {
        if (state.StartedOn is { } started)
            return started == step.Date ? StepOutcome.Unchanged(state)
                : Refused($"The service for referral '{state.ReferralId}' already started on {started:yyyy-MM-dd}.");
        if (state.DischargedOn is not null) return Refused($"Referral '{state.ReferralId}' is already discharged.");
        if (state.AssessedOn is not { } assessed)
            return Refused($"Referral '{state.ReferralId}' must be assessed before its service starts.");
        if (step.Date < assessed) return Before(step, "assessed", assessed);
        var next = state with { StartedOn = step.Date };
        return new(next, new ReferralServiceStartedV1(next.ReferralId, next.UnitId, next.Source, next.Destination, next.ReceivedOn,
            assessed, step.Date, step.Date.DayNumber - assessed.DayNumber), null);
    }

    private static StepOutcome Discharge(ReferralState state, ReferralStep step)
    {
        if (state.DischargedOn is { } discharged)
            return discharged == step.Date && state.DischargeReason == step.Reason ? StepOutcome.Unchanged(state)
                : Refused($"Referral '{state.ReferralId}' was already discharged on {discharged:yyyy-MM-dd}.");
        if (state.AssessedOn is not { } assessed)
            return Refused(state.Stage == "closed"
                ? $"Referral '{state.ReferralId}' was closed at triage ({state.Outcome}); there is nothing to discharge."
                : $"Referral '{state.ReferralId}' must be assessed before it is discharged.");
        var latest = state.StartedOn ?? assessed;
        if (step.Date < latest) return Before(step, state.StartedOn is null ? "assessed" : "service_started", latest);
        var next = state with { DischargedOn = step.Date, DischargeReason = step.Reason };
        return new(next, new ReferralDischargedV1(next.ReferralId, next.UnitId, next.Source, next.Destination, next.ReceivedOn,
            next.StartedOn, step.Date, step.Reason!, next.StartedOn is { } s ? step.Date.DayNumber - s.DayNumber : null), null);
    }

    private static StepOutcome Before(ReferralStep step, string earlierStep, DateOnly earlier) =>
        Refused($"The {step.Step} date {step.Date:yyyy-MM-dd} is before the {earlierStep} date {earlier:yyyy-MM-dd}.", "date");
}

namespace Icp.Contracts.Referrals;

// Every lifecycle event repeats the referral's context (unit, source, destination, received date) so that a consumer
// can derive monthly indicators from each event alone, without joining earlier events of the referral. One referral
// is one stream ("referral/{referralId}"); its events are published in stream order. Dates are ISO (YYYY-MM-DD).
// Referral ids are pseudonymous: no names, NHS numbers, addresses or other identifying data travel in these events.

/// <summary>A referral was received by a service of a neighbourhood. Supports: referrals in by source, out by destination, share per source.</summary>
public sealed record ReferralReceivedV1(
    string ReferralId,
    string UnitId,
    string Source,
    string Destination,
    DateOnly ReceivedOn);

/// <summary>
/// A referral was triaged. <c>Outcome</c>: accepted | declined_inappropriate | redirected (then <c>RedirectedTo</c> names the
/// service it went to). Supports: the inappropriate-referral proportion (declined_inappropriate over all triaged).
/// </summary>
public sealed record ReferralTriagedV1(
    string ReferralId,
    string UnitId,
    string Source,
    string Destination,
    DateOnly ReceivedOn,
    DateOnly TriagedOn,
    string Outcome,
    string? RedirectedTo);

/// <summary>An accepted referral was assessed. Supports: days from referral to assessment.</summary>
public sealed record ReferralAssessedV1(
    string ReferralId,
    string UnitId,
    string Source,
    string Destination,
    DateOnly ReceivedOn,
    DateOnly AssessedOn,
    int DaysFromReferral);

/// <summary>The service started after assessment. Supports: days from assessment to service start; active caseload (opens a case).</summary>
public sealed record ReferralServiceStartedV1(
    string ReferralId,
    string UnitId,
    string Source,
    string Destination,
    DateOnly ReceivedOn,
    DateOnly AssessedOn,
    DateOnly StartedOn,
    int DaysFromAssessment);

/// <summary>
/// The referral was closed by discharge. <c>Reason</c>: positive | negative. <c>StartedOn</c> and <c>DaysOnCaseload</c> are null
/// when the service never started (discharged after assessment). Supports: active caseload (closes a case), negative discharges.
/// </summary>
public sealed record ReferralDischargedV1(
    string ReferralId,
    string UnitId,
    string Source,
    string Destination,
    DateOnly ReceivedOn,
    DateOnly? StartedOn,
    DateOnly DischargedOn,
    string Reason,
    int? DaysOnCaseload);

/// <summary>A bulk submission of referral steps was accepted whole. <c>Events</c> counts the lifecycle events it produced.</summary>
public sealed record ReferralSubmissionAcceptedV1(
    string SubmissionId,
    string Source,
    int Rows,
    int Events)
{
    /// <summary>SHA-256 (hex) of the submission's steps in row order: a replay with the same steps has the same digest.
    /// Absent in older events.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? Digest { get; init; }
}

using Icp.Contracts.CaseStudies;

namespace Icp.CaseStudies.Domain;

public static class RecordStatus
{
    public const string Draft = "draft";
    public const string SentForValidation = "sent_for_validation";
    public const string Validated = "validated";
    public const string Published = "published";
    public const string Withdrawn = "withdrawn";
}

/// <summary>A record as its stream tells it. The narrative stays encrypted here; only the key holder can read it.</summary>
public sealed record RecordState(
    string RecordId,
    string Kind,
    string Status,
    long Version,
    CaseRecordDraftedV1 Draft,
    DateTimeOffset? SentAt,
    string? ValidatedBy,
    DateTimeOffset? ConsentRecordedAt,
    DateTimeOffset? PublishedAt,
    DateTimeOffset? WithdrawnAt,
    string? WithdrawalReason)
{
    public bool IsWithdrawn => Status == RecordStatus.Withdrawn;
}

/// <summary>What a command does to a record: apply an event, nothing (already so), or refuse.</summary>
public abstract record Decision
{
    public sealed record Apply(object Event) : Decision;
    public sealed record AlreadyDone : Decision;
    public sealed record Refuse(string Reason) : Decision;
}

/// <summary>
/// The workflow: draft → sent for validation → validated by the storyteller (consent: who and when) → published.
/// A draft (also one sent for validation) can be revised, which makes it a draft again. Consent can be withdrawn in
/// any state; a withdrawn record accepts nothing more. Repeating a step that is already done changes nothing.
/// </summary>
public static class Workflow
{
    /// <summary>Why consent was withdrawn, from a fixed list: free text here would outlive the narrative in clear.</summary>
    public static readonly string[] WithdrawalReasons = ["storyteller_request", "resident_request", "representative_request", "data_protection_review", "other"];

    public static RecordState? Fold(IEnumerable<(object Event, long Version)> history) =>
        history.Aggregate((RecordState?)null, (state, h) => Apply(state, h.Event, h.Version));

    /// <summary>The record after one more event (at stream version <paramref name="version"/>).</summary>
    public static RecordState? Apply(RecordState? state, object e, long version) => (e, state) switch
    {
        (CaseRecordDraftedV1 d, null) => new RecordState(d.RecordId, d.Kind, RecordStatus.Draft, version, d, null, null, null, null, null, null),
        (CaseRecordDraftedV1 d, { } s) => s with { Draft = d, Status = RecordStatus.Draft, Version = version, SentAt = null },
        (CaseRecordSentForValidationV1 x, { } s) => s with { Status = RecordStatus.SentForValidation, SentAt = x.SentAt, Version = version },
        (CaseRecordValidatedV1 x, { } s) => s with
        {
            Status = RecordStatus.Validated, ValidatedBy = x.ValidatedBy, ConsentRecordedAt = x.ConsentRecordedAt, Version = version,
        },
        (CaseRecordPublishedV1 x, { } s) => s with { Status = RecordStatus.Published, PublishedAt = x.PublishedAt, Version = version },
        (CaseRecordConsentWithdrawnV1 x, { } s) => s with
        {
            Status = RecordStatus.Withdrawn, WithdrawnAt = x.WithdrawnAt, WithdrawalReason = x.Reason, Version = version,
        },
        (_, { } s) => s with { Version = version },
        _ => null,
    };

    public static Decision Revise(RecordState state, CaseRecordDraftedV1 revision, bool sameContent) => state.Status switch
    {
        _ when sameContent && SameLinks(state.Draft, revision) => new Decision.AlreadyDone(),
        RecordStatus.Draft or RecordStatus.SentForValidation => new Decision.Apply(revision),
        RecordStatus.Withdrawn => new Decision.Refuse("Consent for this record was withdrawn; it cannot be changed."),
        _ => new Decision.Refuse($"The record is {state.Status}; only a draft can be revised (withdraw it and write a new one)."),
    };

    public static Decision SendForValidation(RecordState state, DateTimeOffset now) => state.Status switch
    {
        RecordStatus.Draft => new Decision.Apply(new CaseRecordSentForValidationV1(state.RecordId, state.Kind, now)),
        RecordStatus.SentForValidation => new Decision.AlreadyDone(),
        RecordStatus.Withdrawn => new Decision.Refuse("Consent for this record was withdrawn."),
        _ => new Decision.Refuse($"The record is already {state.Status}."),
    };

    public static Decision Validate(RecordState state, string validatedBy, DateTimeOffset now) => state.Status switch
    {
        RecordStatus.Draft or RecordStatus.SentForValidation =>
            new Decision.Apply(new CaseRecordValidatedV1(state.RecordId, state.Kind, validatedBy, now)),
        RecordStatus.Validated or RecordStatus.Published => new Decision.AlreadyDone(),
        _ => new Decision.Refuse("Consent for this record was withdrawn."),
    };

    public static Decision Publish(RecordState state, DateTimeOffset now) => state.Status switch
    {
        RecordStatus.Validated => new Decision.Apply(new CaseRecordPublishedV1(state.RecordId, state.Kind, now)),
        RecordStatus.Published => new Decision.AlreadyDone(),
        RecordStatus.Withdrawn => new Decision.Refuse("Consent for this record was withdrawn."),
        _ => new Decision.Refuse("Only a record validated by its storyteller can be published."),
    };

    public static Decision Withdraw(RecordState state, string? reason, DateTimeOffset now) => state.Status switch
    {
        RecordStatus.Withdrawn => new Decision.AlreadyDone(),
        _ => new Decision.Apply(new CaseRecordConsentWithdrawnV1(state.RecordId, state.Kind, now, reason)),
    };

    private static bool SameLinks(CaseRecordDraftedV1 a, CaseRecordDraftedV1 b) =>
        a.Role == b.Role && a.Month == b.Month && a.UnitIds.SequenceEqual(b.UnitIds) && a.IndicatorIds.SequenceEqual(b.IndicatorIds)
        && a.Periods.SequenceEqual(b.Periods);
}

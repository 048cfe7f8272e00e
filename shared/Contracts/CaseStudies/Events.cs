namespace Icp.Contracts.CaseStudies;

// Every case-study record (workforce story, resident case study, theograph, realist evaluation record) lives on its own
// stream "record/{recordId}". Events carry only the fields that may outlive a withdrawal of consent in clear (id, kind,
// role, month and the links to units, indicators and months); every narrative field travels inside Narrative,
// encrypted with the record's own data key, which the case studies service keeps outside the events and destroys
// when consent is withdrawn.

/// <summary>
/// A draft was written: the record's first version or a revision of a draft (the newest one counts).
/// <paramref name="Kind"/>: story | case_study | theograph | realist. <paramref name="Role"/> is the storyteller's role
/// (stories only). <paramref name="Periods"/> are the months the record is linked to (chart annotations).
/// </summary>
public sealed record CaseRecordDraftedV1(
    string RecordId,
    string Kind,
    string? Role,
    string Month,
    IReadOnlyList<string> UnitIds,
    IReadOnlyList<string> IndicatorIds,
    IReadOnlyList<string> Periods,
    EncryptedNarrative Narrative);

/// <summary>The draft was sent to the storyteller (or the resident's representative) to check.</summary>
public sealed record CaseRecordSentForValidationV1(string RecordId, string Kind, DateTimeOffset SentAt);

/// <summary>The storyteller validated the record and gave consent to its use: who and when.</summary>
public sealed record CaseRecordValidatedV1(string RecordId, string Kind, string ValidatedBy, DateTimeOffset ConsentRecordedAt);

/// <summary>The validated record was published: from now on it appears in the read models.</summary>
public sealed record CaseRecordPublishedV1(string RecordId, string Kind, DateTimeOffset PublishedAt);

/// <summary>
/// Consent was withdrawn. The record's data key has been destroyed in the same transaction, so every narrative
/// ciphertext of this record, wherever it was stored or delivered, can no longer be read. Read models drop the
/// narrative on this event; the record's existence (id, kind, role, month, status) stays for the audit trail.
/// </summary>
public sealed record CaseRecordConsentWithdrawnV1(string RecordId, string Kind, DateTimeOffset WithdrawnAt, string? Reason);

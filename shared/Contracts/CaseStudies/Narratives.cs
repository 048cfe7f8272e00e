namespace Icp.Contracts.CaseStudies;

// The plaintext inside EncryptedNarrative: JSON (camelCase) of CaseRecordNarrative. Exactly one of the kind sections
// is present. These shapes are part of the contract for anyone who holds a record's key (today: the projection service).

public sealed record CaseRecordNarrative(
    string Title,
    IReadOnlyList<string> Tags,
    StoryNarrative? Story = null,
    ResidentCaseStudyNarrative? CaseStudy = null,
    TheographNarrative? Theograph = null,
    RealistNarrative? Realist = null);

/// <summary>A workforce story in most-significant-change form.</summary>
public sealed record StoryNarrative(
    string BiggestDifference,
    string DifferenceForPerson,
    string Risks,
    string HowOutcomeChanged,
    string Otherwise);

public sealed record SystemRisk(string Type, string Description);

/// <summary>A resident case study discussed at a multi-agency session.</summary>
public sealed record ResidentCaseStudyNarrative(
    string Pseudonym,
    string Situation,
    string Background,
    IReadOnlyList<SystemRisk> SystemRisks,
    IReadOnlyList<string> Recommendations,
    string Outcome);

/// <summary>One use of a service on a day; <paramref name="Days"/> is the length of stay of an admission.</summary>
public sealed record TheographEvent(string Date, string Setting, string? Note, int? Days);

/// <summary>A pseudonymised resident's dated service use, by setting.</summary>
public sealed record TheographNarrative(string Pseudonym, string? Summary, IReadOnlyList<TheographEvent> Events);

/// <summary>Where the evidence for a configuration came from: interview | observation | field_notes | document | survey | data.</summary>
public sealed record EvidenceSource(string Source, string? Reference, string Summary);

/// <summary>A context–mechanism–outcome configuration.</summary>
public sealed record Cmoc(
    string Context,
    IReadOnlyList<string> EnablingContexts,
    IReadOnlyList<string> ConstrainingContexts,
    string Mechanism,
    string Outcome,
    IReadOnlyList<EvidenceSource> Evidence);

/// <summary>A programme-theory outcome (e.g. "Building relationships") and the configurations that explain it.</summary>
public sealed record ProgrammeTheoryOutcome(string Name, string? Description, IReadOnlyList<Cmoc> Cmocs);

public sealed record RealistTheme(string Name, IReadOnlyList<string> Barriers, IReadOnlyList<string> Enablers);

/// <summary>A realist evaluation record: programme-theory outcomes with their CMOCs, and themes.</summary>
public sealed record RealistNarrative(string? Summary, IReadOnlyList<ProgrammeTheoryOutcome> Outcomes, IReadOnlyList<RealistTheme> Themes);

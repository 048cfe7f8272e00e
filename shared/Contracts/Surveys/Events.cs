namespace Icp.Contracts.Surveys;

/// <summary>
/// One question of an instrument. <see cref="Kind"/> is "scale" (a whole number from ScaleMin to ScaleMax) or "freetext".
/// Nested types carry no version suffix: only the events themselves are integration event types.
/// </summary>
/// <param name="ScaleType">For scale items: agreement (5-point), agreement4 (no neutral), frequency, rating or yesno.</param>
/// <param name="PositiveThreshold">For scale items: answers at or above it count as positive (e.g. 4 = agree or strongly agree).</param>
/// <param name="Group">Item group, e.g. the Partnership Assessment Tool principle "1".."6", or "aims".</param>
/// <param name="Levels">Optional labels for the levels ScaleMin..ScaleMax, lowest first.</param>
public sealed record SurveyItem(
    string ItemId,
    string Text,
    string? ShortLabel,
    string Kind,
    string? ScaleType,
    int? ScaleMin,
    int? ScaleMax,
    int? PositiveThreshold,
    string? Group,
    IReadOnlyList<string>? Levels);

/// <summary>An instrument (questionnaire) was created or changed: the whole new state. Scoring: none | pat.</summary>
public sealed record InstrumentDefinedV1(
    string InstrumentId,
    string Name,
    string Scoring,
    IReadOnlyList<SurveyItem> Items);

/// <summary>
/// A wave (an instrument administered to a population in a month) was created or changed: the whole new state.
/// Status: open | closed. Waves share their stream with the responses they receive, so the highest stream version
/// of a WaveDefinedV1 is its newest state.
/// </summary>
public sealed record WaveDefinedV1(
    string WaveId,
    string InstrumentId,
    string? Name,
    string Month,
    int? Invited,
    IReadOnlyList<string> UnitIds,
    IReadOnlyList<string> Organisations,
    string Status);

/// <summary>
/// One anonymous response. <see cref="Answers"/> holds the scale items the respondent was asked (null = skipped);
/// <see cref="Comments"/> the free-text answers given (screened for identifying data before storing).
/// <see cref="Code"/> is the optional self-generated identification code used to match waves.
/// </summary>
public sealed record SurveyResponse(
    string RespondentId,
    string? Code,
    string? Organisation,
    string? Role,
    IReadOnlyList<string> Teams,
    IReadOnlyDictionary<string, int?> Answers,
    IReadOnlyDictionary<string, string> Comments)
{
    /// <summary>
    /// From 2026-12 the free-text answers travel sealed: <see cref="Comments"/> is empty and this holds the JSON of
    /// them (item id → text) encrypted with the response's own key (AES-256-GCM, bound to
    /// <see cref="SurveyResponseKeys.Binding"/>), which the surveys service keeps and destroys when the respondent
    /// withdraws. Absent in older events, whose comments are in clear.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public CaseStudies.EncryptedNarrative? SealedComments { get; init; }
}

/// <summary>What a survey response's sealed comments are bound to, so a ciphertext cannot pass for another's.</summary>
public static class SurveyResponseKeys
{
    public static string Binding(string waveId, string respondentId) => $"survey-response/{waveId}/{respondentId}";
}

/// <summary>
/// A respondent withdrew their response: it leaves every analysis, its free text is unrecoverable (the response's key
/// is destroyed in the same transaction), and no later delivery or rebuild brings it back.
/// </summary>
public sealed record SurveyResponseWithdrawnV1(
    string WaveId,
    string RespondentId,
    DateTimeOffset WithdrawnAt);

/// <summary>
/// A whole submission of responses to a wave was accepted (all of them or none). Every analysis is rebuilt from
/// these events; respondent ids are unique within a wave, so a response is never stored twice.
/// </summary>
public sealed record SurveyResponsesSubmittedV1(
    string WaveId,
    string InstrumentId,
    string SubmissionId,
    string Source,
    IReadOnlyList<SurveyResponse> Responses)
{
    /// <summary>Responses received in the submission that answered no item (as survey tools export them): counted as
    /// received, not in <see cref="Responses"/>, in no statistic. Absent in older events.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public int? BlankResponses { get; init; }
}

/// <summary>
/// An analyst coded one free-text answer with themes and a sentiment (positive | neutral | negative); the newest
/// coding of a comment (highest stream version of its stream) replaces earlier ones.
/// </summary>
public sealed record SurveyCommentCodedV1(
    string WaveId,
    string RespondentId,
    string ItemId,
    IReadOnlyList<string> Themes,
    string Sentiment,
    string? CodedBy);

/// <summary>The six principles of the Partnership Assessment Tool (Nuffield Institute, 2003), principle 1 first.</summary>
public static class PartnershipPrinciples
{
    public static readonly IReadOnlyList<string> Names =
    [
        "Recognise and accept the need for partnership",
        "Develop clarity and realism of purpose",
        "Ensure commitment and ownership",
        "Develop and maintain trust",
        "Create clear and robust partnership arrangements",
        "Monitor, measure and learn",
    ];
}

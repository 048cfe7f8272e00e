using System.Globalization;
using Icp.Contracts.CaseStudies;
using Icp.Contracts.Indicators;
using Icp.Hosting;
using Intake = Icp.Hosting.Intake;

namespace Icp.CaseStudies.Domain;

public static class RecordKinds
{
    public const string Story = "story";
    public const string CaseStudy = "case_study";
    public const string Theograph = "theograph";
    public const string Realist = "realist";
    public static readonly string[] All = [Story, CaseStudy, Theograph, Realist];
}

public static class Vocabulary
{
    /// <summary>System risks a resident case study can name (from the multi-agency sessions' own categories).</summary>
    public static readonly string[] RiskTypes =
    [
        "unplanned_admission", "fire", "police_antisocial_behaviour", "emergency_callout", "safeguarding",
        "falls", "self_neglect", "housing_loss", "carer_breakdown", "financial_abuse", "other",
    ];

    /// <summary>Settings a theograph draws as rows, in the order they are drawn (acute first).</summary>
    public static readonly string[] Settings =
    [
        "ambulance", "ae", "admission", "outpatient", "gp", "community_health", "mental_health", "social_care",
        "housing", "vcs", "other",
    ];

    public static readonly string[] EvidenceSources = ["interview", "observation", "field_notes", "document", "survey", "data"];

    public const int MaxTextLength = 8000;
    public const int MaxShortTextLength = 200;
    public const int MaxListItems = 50;

}

/// <summary>What every kind of record stores: the clear fields of the event and the narrative to encrypt.</summary>
public sealed record RecordDraft(string? Role, string Month, List<string> UnitIds, List<string> IndicatorIds, List<string> Periods,
    CaseRecordNarrative Narrative);

/// <summary>A request to write a record of one kind: validated, screened for identifying data, then turned into a draft.</summary>
public interface ICaseRecordRequest
{
    static abstract string Kind { get; }
    List<ValidationError> Validate(DateOnly today);
    /// <summary>Every free-text field, named as the request names it (e.g. "systemRisks[1].description").</summary>
    IEnumerable<(string Field, string? Text)> FreeText();
    RecordDraft ToDraft();
}

/// <summary>Checks shared by every kind: links, months, tags, text lengths.</summary>
internal static class CommonChecks
{
    public static void Links(List<ValidationError> errors, List<string>? unitIds, List<string>? indicatorIds, List<string>? periods,
        List<string>? tags, DateOnly today)
    {
        Ids(errors, "unitIds", unitIds, Intake.Ids.IsValid);
        // An indicator link may name one type of an indicator counted by type: {indicatorId}:{category}.
        Ids(errors, "indicatorIds", indicatorIds, id => IndicatorSeries.Parse(id) is var (indicator, category)
            && Intake.Ids.IsValid(indicator) && (category is null || Intake.Ids.IsValid(category)));
        if (periods is { Count: > Vocabulary.MaxListItems }) errors.Add(new(null, "periods", $"At most {Vocabulary.MaxListItems} months."));
        for (var i = 0; i < (periods?.Count ?? 0); i++)
            Month(errors, $"periods[{i}]", periods![i], today, required: true);
        if (tags is { Count: > 20 }) errors.Add(new(null, "tags", "At most 20 tags."));
        for (var i = 0; i < (tags?.Count ?? 0); i++)
            Intake.Text.Check(errors, null, $"tags[{i}]", tags![i], 50, required: true, "A tag has 1–50 characters.");
    }

    private static void Ids(List<ValidationError> errors, string field, List<string>? ids, Func<string, bool> isValid)
    {
        if (ids is { Count: > Vocabulary.MaxListItems }) errors.Add(new(null, field, $"At most {Vocabulary.MaxListItems} ids."));
        for (var i = 0; i < (ids?.Count ?? 0); i++)
            if (!isValid(ids![i])) errors.Add(new(null, $"{field}[{i}]", Intake.Ids.Rule));
    }

    public static void Month(List<ValidationError> errors, string field, string? month, DateOnly today, bool required)
    {
        if (month is null)
        {
            if (required) errors.Add(new(null, field, "A month (YYYY-MM) is required."));
            return;
        }
        if (!Intake.Months.TryParse(month, out var parsed)) errors.Add(new(null, field, Intake.Months.Rule));
        else if (parsed > new DateOnly(today.Year, today.Month, 1)) errors.Add(new(null, field, $"{month} is in the future."));
    }

    public static void Text(List<ValidationError> errors, string field, string? text, bool required, int max = Vocabulary.MaxTextLength) =>
        Intake.Text.Check(errors, null, field, text, max, required);

    public static void TextList(List<ValidationError> errors, string field, List<string>? items, bool required)
    {
        if (items is null || items.Count == 0)
        {
            if (required) errors.Add(new(null, field, "Give at least one."));
            return;
        }
        if (items.Count > Vocabulary.MaxListItems) errors.Add(new(null, field, $"At most {Vocabulary.MaxListItems} items."));
        for (var i = 0; i < items.Count; i++) Text(errors, $"{field}[{i}]", items[i], required: true);
    }

    public static IEnumerable<(string, string?)> Listed(string field, List<string>? items) =>
        (items ?? []).Select((text, i) => ($"{field}[{i}]", (string?)text));

    public static List<string> Clean(List<string>? items) => (items ?? []).Select(s => s.Trim()).ToList();
    public static List<string> Distinct(List<string>? items) => (items ?? []).Distinct(StringComparer.Ordinal).ToList();
    public static string Trim(string? text) => text?.Trim() ?? "";
}

/// <summary>A workforce story in most-significant-change form (the public contract's shape).</summary>
public sealed record StoryRequest(
    string? Title, string? Role, string? Month, List<string>? UnitIds, List<string>? IndicatorIds, List<string>? Periods,
    string? BiggestDifference, string? DifferenceForPerson, string? Risks, string? HowOutcomeChanged, string? Otherwise,
    List<string>? Tags) : ICaseRecordRequest
{
    public static string Kind => RecordKinds.Story;

    public List<ValidationError> Validate(DateOnly today)
    {
        var errors = new List<ValidationError>();
        CommonChecks.Text(errors, "title", Title, required: false, Vocabulary.MaxShortTextLength);
        CommonChecks.Text(errors, "role", Role, required: true, 100);
        CommonChecks.Month(errors, "month", Month, today, required: true);
        CommonChecks.Links(errors, UnitIds, IndicatorIds, Periods, Tags, today);
        CommonChecks.Text(errors, "biggestDifference", BiggestDifference, required: true);
        CommonChecks.Text(errors, "differenceForPerson", DifferenceForPerson, required: true);
        CommonChecks.Text(errors, "risks", Risks, required: false);
        CommonChecks.Text(errors, "howOutcomeChanged", HowOutcomeChanged, required: false);
        CommonChecks.Text(errors, "otherwise", Otherwise, required: false);
        return errors;
    }

    public IEnumerable<(string Field, string? Text)> FreeText() =>
        new (string, string?)[]
        {
            ("title", Title), ("role", Role), ("biggestDifference", BiggestDifference), ("differenceForPerson", DifferenceForPerson),
            ("risks", Risks), ("howOutcomeChanged", HowOutcomeChanged), ("otherwise", Otherwise),
        }.Concat(CommonChecks.Listed("tags", Tags));

    public RecordDraft ToDraft()
    {
        var role = CommonChecks.Trim(Role);
        var title = string.IsNullOrWhiteSpace(Title) ? $"{role}, {Month}" : Title.Trim();
        return new RecordDraft(role, Month!, CommonChecks.Distinct(UnitIds), CommonChecks.Distinct(IndicatorIds), CommonChecks.Distinct(Periods),
            new CaseRecordNarrative(title, CommonChecks.Clean(Tags), Story: new StoryNarrative(
                CommonChecks.Trim(BiggestDifference), CommonChecks.Trim(DifferenceForPerson), CommonChecks.Trim(Risks),
                CommonChecks.Trim(HowOutcomeChanged), CommonChecks.Trim(Otherwise))));
    }
}

public sealed record SystemRiskRequest(string? Type, string? Description);

/// <summary>A resident case study from a multi-agency session.</summary>
public sealed record CaseStudyRequest(
    string? Title, string? Pseudonym, string? Month, List<string>? UnitIds, List<string>? IndicatorIds, List<string>? Periods,
    string? Situation, string? Background, List<SystemRiskRequest?>? SystemRisks, List<string>? Recommendations, string? Outcome,
    List<string>? Tags) : ICaseRecordRequest
{
    public static string Kind => RecordKinds.CaseStudy;

    public List<ValidationError> Validate(DateOnly today)
    {
        var errors = new List<ValidationError>();
        CommonChecks.Text(errors, "title", Title, required: false, Vocabulary.MaxShortTextLength);
        CommonChecks.Text(errors, "pseudonym", Pseudonym, required: true, 60);
        CommonChecks.Month(errors, "month", Month, today, required: true);
        CommonChecks.Links(errors, UnitIds, IndicatorIds, Periods, Tags, today);
        CommonChecks.Text(errors, "situation", Situation, required: true);
        CommonChecks.Text(errors, "background", Background, required: false);
        CommonChecks.Text(errors, "outcome", Outcome, required: false);
        CommonChecks.TextList(errors, "recommendations", Recommendations, required: false);
        if (SystemRisks is { Count: > Vocabulary.MaxListItems }) errors.Add(new(null, "systemRisks", $"At most {Vocabulary.MaxListItems} risks."));
        for (var i = 0; i < (SystemRisks?.Count ?? 0); i++)
        {
            var risk = SystemRisks![i];
            if (risk?.Type is null || !Vocabulary.RiskTypes.Contains(risk.Type))
                errors.Add(new(null, $"systemRisks[{i}].type", $"Must be one of {string.Join(", ", Vocabulary.RiskTypes)}."));
            CommonChecks.Text(errors, $"systemRisks[{i}].description", risk?.Description, required: false);
        }
        return errors;
    }

    public IEnumerable<(string Field, string? Text)> FreeText() =>
        new (string, string?)[]
        {
            ("title", Title), ("pseudonym", Pseudonym), ("situation", Situation), ("background", Background), ("outcome", Outcome),
        }
        .Concat((SystemRisks ?? []).Select((r, i) => ($"systemRisks[{i}].description", r?.Description)))
        .Concat(CommonChecks.Listed("recommendations", Recommendations))
        .Concat(CommonChecks.Listed("tags", Tags));

    public RecordDraft ToDraft()
    {
        var pseudonym = CommonChecks.Trim(Pseudonym);
        var title = string.IsNullOrWhiteSpace(Title) ? $"Case study: {pseudonym}" : Title.Trim();
        return new RecordDraft(null, Month!, CommonChecks.Distinct(UnitIds), CommonChecks.Distinct(IndicatorIds), CommonChecks.Distinct(Periods),
            new CaseRecordNarrative(title, CommonChecks.Clean(Tags), CaseStudy: new ResidentCaseStudyNarrative(
                pseudonym, CommonChecks.Trim(Situation), CommonChecks.Trim(Background),
                (SystemRisks ?? []).Select(r => new SystemRisk(r!.Type!, CommonChecks.Trim(r.Description))).ToList(),
                CommonChecks.Clean(Recommendations), CommonChecks.Trim(Outcome))));
    }
}

public sealed record TheographEventRequest(string? Date, string? Setting, string? Note, int? Days);

/// <summary>A pseudonymised resident's service-use timeline.</summary>
public sealed record TheographRequest(
    string? Title, string? Pseudonym, string? Month, List<string>? UnitIds, List<string>? IndicatorIds, List<string>? Periods,
    string? Summary, List<TheographEventRequest?>? Events, List<string>? Tags) : ICaseRecordRequest
{
    public static string Kind => RecordKinds.Theograph;
    public const int MaxEvents = 500;

    public List<ValidationError> Validate(DateOnly today)
    {
        var errors = new List<ValidationError>();
        CommonChecks.Text(errors, "title", Title, required: false, Vocabulary.MaxShortTextLength);
        CommonChecks.Text(errors, "pseudonym", Pseudonym, required: true, 60);
        CommonChecks.Month(errors, "month", Month, today, required: false);
        CommonChecks.Links(errors, UnitIds, IndicatorIds, Periods, Tags, today);
        CommonChecks.Text(errors, "summary", Summary, required: false);
        if (Events is null || Events.Count == 0) errors.Add(new(null, "events", "A theograph needs at least one event."));
        else if (Events.Count > MaxEvents) errors.Add(new(null, "events", $"At most {MaxEvents} events."));
        for (var i = 0; i < (Events?.Count ?? 0); i++)
        {
            var e = Events![i];
            if (!Intake.Months.TryParseDate(e?.Date, out var date)) errors.Add(new(null, $"events[{i}].date", Intake.Months.DateRule));
            else if (date > today) errors.Add(new(null, $"events[{i}].date", $"{e!.Date} is in the future."));
            if (e?.Setting is null || !Vocabulary.Settings.Contains(e.Setting))
                errors.Add(new(null, $"events[{i}].setting", $"Must be one of {string.Join(", ", Vocabulary.Settings)}."));
            CommonChecks.Text(errors, $"events[{i}].note", e?.Note, required: false, 500);
            if (e?.Days is < 0 or > 365) errors.Add(new(null, $"events[{i}].days", "A stay lasts 0–365 days."));
        }
        return errors;
    }

    public IEnumerable<(string Field, string? Text)> FreeText() =>
        new (string, string?)[] { ("title", Title), ("pseudonym", Pseudonym), ("summary", Summary) }
        .Concat((Events ?? []).Select((e, i) => ($"events[{i}].note", e?.Note)))
        .Concat(CommonChecks.Listed("tags", Tags));

    public RecordDraft ToDraft()
    {
        var pseudonym = CommonChecks.Trim(Pseudonym);
        var events = Events!.Select(e => new TheographEvent(e!.Date!, e.Setting!, string.IsNullOrWhiteSpace(e.Note) ? null : e.Note.Trim(), e.Days))
            .OrderBy(e => e.Date, StringComparer.Ordinal).ThenBy(e => Array.IndexOf(Vocabulary.Settings, e.Setting)).ToList();
        var month = Month ?? events[^1].Date[..7];
        var title = string.IsNullOrWhiteSpace(Title) ? $"Service use: {pseudonym}" : Title.Trim();
        return new RecordDraft(null, month, CommonChecks.Distinct(UnitIds), CommonChecks.Distinct(IndicatorIds), CommonChecks.Distinct(Periods),
            new CaseRecordNarrative(title, CommonChecks.Clean(Tags), Theograph: new TheographNarrative(
                pseudonym, string.IsNullOrWhiteSpace(Summary) ? null : Summary.Trim(), events)));
    }
}

public sealed record EvidenceRequest(string? Source, string? Reference, string? Summary);

public sealed record CmocRequest(string? Context, List<string>? EnablingContexts, List<string>? ConstrainingContexts,
    string? Mechanism, string? Outcome, List<EvidenceRequest?>? Evidence);

public sealed record OutcomeRequest(string? Name, string? Description, List<CmocRequest?>? Cmocs);

public sealed record ThemeRequest(string? Name, List<string>? Barriers, List<string>? Enablers);

/// <summary>A realist evaluation record: programme-theory outcomes with CMOCs and evidence, and themes.</summary>
public sealed record RealistRequest(
    string? Title, string? Month, List<string>? UnitIds, List<string>? IndicatorIds, List<string>? Periods,
    string? Summary, List<OutcomeRequest?>? Outcomes, List<ThemeRequest?>? Themes, List<string>? Tags) : ICaseRecordRequest
{
    public static string Kind => RecordKinds.Realist;

    public List<ValidationError> Validate(DateOnly today)
    {
        var errors = new List<ValidationError>();
        CommonChecks.Text(errors, "title", Title, required: true, Vocabulary.MaxShortTextLength);
        CommonChecks.Month(errors, "month", Month, today, required: true);
        CommonChecks.Links(errors, UnitIds, IndicatorIds, Periods, Tags, today);
        CommonChecks.Text(errors, "summary", Summary, required: false);
        if (Outcomes is null || Outcomes.Count == 0) errors.Add(new(null, "outcomes", "Give at least one programme-theory outcome."));
        else if (Outcomes.Count > Vocabulary.MaxListItems) errors.Add(new(null, "outcomes", $"At most {Vocabulary.MaxListItems}."));
        for (var o = 0; o < (Outcomes?.Count ?? 0); o++)
        {
            var outcome = Outcomes![o];
            var at = $"outcomes[{o}]";
            CommonChecks.Text(errors, $"{at}.name", outcome?.Name, required: true, Vocabulary.MaxShortTextLength);
            CommonChecks.Text(errors, $"{at}.description", outcome?.Description, required: false);
            for (var c = 0; c < (outcome?.Cmocs?.Count ?? 0); c++)
            {
                var cmoc = outcome!.Cmocs![c];
                var cat = $"{at}.cmocs[{c}]";
                CommonChecks.Text(errors, $"{cat}.context", cmoc?.Context, required: true);
                CommonChecks.TextList(errors, $"{cat}.enablingContexts", cmoc?.EnablingContexts, required: false);
                CommonChecks.TextList(errors, $"{cat}.constrainingContexts", cmoc?.ConstrainingContexts, required: false);
                CommonChecks.Text(errors, $"{cat}.mechanism", cmoc?.Mechanism, required: true);
                CommonChecks.Text(errors, $"{cat}.outcome", cmoc?.Outcome, required: true);
                if (cmoc?.Evidence is null || cmoc.Evidence.Count == 0)
                    errors.Add(new(null, $"{cat}.evidence", "Name at least one evidence source."));
                for (var e = 0; e < (cmoc?.Evidence?.Count ?? 0); e++)
                {
                    var evidence = cmoc!.Evidence![e];
                    if (evidence?.Source is null || !Vocabulary.EvidenceSources.Contains(evidence.Source))
                        errors.Add(new(null, $"{cat}.evidence[{e}].source", $"Must be one of {string.Join(", ", Vocabulary.EvidenceSources)}."));
                    CommonChecks.Text(errors, $"{cat}.evidence[{e}].reference", evidence?.Reference, required: false, Vocabulary.MaxShortTextLength);
                    CommonChecks.Text(errors, $"{cat}.evidence[{e}].summary", evidence?.Summary, required: true);
                }
            }
        }
        for (var t = 0; t < (Themes?.Count ?? 0); t++)
        {
            var theme = Themes![t];
            CommonChecks.Text(errors, $"themes[{t}].name", theme?.Name, required: true, Vocabulary.MaxShortTextLength);
            CommonChecks.TextList(errors, $"themes[{t}].barriers", theme?.Barriers, required: false);
            CommonChecks.TextList(errors, $"themes[{t}].enablers", theme?.Enablers, required: false);
        }
        return errors;
    }

    public IEnumerable<(string Field, string? Text)> FreeText()
    {
        yield return ("title", Title);
        yield return ("summary", Summary);
        for (var o = 0; o < (Outcomes?.Count ?? 0); o++)
        {
            var outcome = Outcomes![o];
            yield return ($"outcomes[{o}].name", outcome?.Name);
            yield return ($"outcomes[{o}].description", outcome?.Description);
            for (var c = 0; c < (outcome?.Cmocs?.Count ?? 0); c++)
            {
                var cmoc = outcome!.Cmocs![c];
                var at = $"outcomes[{o}].cmocs[{c}]";
                yield return ($"{at}.context", cmoc?.Context);
                foreach (var item in CommonChecks.Listed($"{at}.enablingContexts", cmoc?.EnablingContexts)) yield return item;
                foreach (var item in CommonChecks.Listed($"{at}.constrainingContexts", cmoc?.ConstrainingContexts)) yield return item;
                yield return ($"{at}.mechanism", cmoc?.Mechanism);
                yield return ($"{at}.outcome", cmoc?.Outcome);
                for (var e = 0; e < (cmoc?.Evidence?.Count ?? 0); e++)
                {
                    yield return ($"{at}.evidence[{e}].reference", cmoc!.Evidence![e]?.Reference);
                    yield return ($"{at}.evidence[{e}].summary", cmoc.Evidence[e]?.Summary);
                }
            }
        }
        for (var t = 0; t < (Themes?.Count ?? 0); t++)
        {
            yield return ($"themes[{t}].name", Themes![t]?.Name);
            foreach (var item in CommonChecks.Listed($"themes[{t}].barriers", Themes[t]?.Barriers)) yield return item;
            foreach (var item in CommonChecks.Listed($"themes[{t}].enablers", Themes[t]?.Enablers)) yield return item;
        }
        foreach (var item in CommonChecks.Listed("tags", Tags)) yield return item;
    }

    public RecordDraft ToDraft() =>
        new(null, Month!, CommonChecks.Distinct(UnitIds), CommonChecks.Distinct(IndicatorIds), CommonChecks.Distinct(Periods),
            new CaseRecordNarrative(Title!.Trim(), CommonChecks.Clean(Tags), Realist: new RealistNarrative(
                string.IsNullOrWhiteSpace(Summary) ? null : Summary.Trim(),
                Outcomes!.Select(o => new ProgrammeTheoryOutcome(o!.Name!.Trim(), string.IsNullOrWhiteSpace(o.Description) ? null : o.Description.Trim(),
                    (o.Cmocs ?? []).Select(c => new Cmoc(c!.Context!.Trim(), CommonChecks.Clean(c.EnablingContexts), CommonChecks.Clean(c.ConstrainingContexts),
                        c.Mechanism!.Trim(), c.Outcome!.Trim(),
                        c.Evidence!.Select(e => new EvidenceSource(e!.Source!, string.IsNullOrWhiteSpace(e.Reference) ? null : e.Reference.Trim(), e.Summary!.Trim())).ToList()))
                    .ToList())).ToList(),
                (Themes ?? []).Select(t => new RealistTheme(t!.Name!.Trim(), CommonChecks.Clean(t.Barriers), CommonChecks.Clean(t.Enablers))).ToList())));
}

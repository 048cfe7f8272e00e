using System.Globalization;
using System.Text.Json;
using Icp.Contracts.Surveys;
using Icp.Hosting;
using Icp.Hosting.Intake;
using Icp.Privacy;

namespace Icp.Surveys.Domain;

public sealed record ResponseSubmissionRequest(string? SubmissionId, string? Source, List<ResponseRequest?>? Responses);

/// <summary>One response as sent: <see cref="Answers"/> maps item ids to a whole number (scale), a text (free text) or null.</summary>
public sealed record ResponseRequest(string? RespondentId, string? Code, string? Organisation, string? Role, List<string>? Teams,
    Dictionary<string, JsonElement>? Answers);

/// <summary>What the wave looks like when a submission arrives.</summary>
public sealed record WaveState(WaveDefinedV1 Wave, InstrumentDefinedV1 Instrument, IReadOnlySet<string> RespondentIds);

public static class ResponseValidation
{
    public const int MaxResponses = 20_000;
    public const int MaxCommentLength = 4000;
    public const int MaxTeams = 20;

    /// <summary>
    /// Checks a whole submission and names every bad response (rows numbered from 1) and every bad answer
    /// (<c>answers.{itemId}</c>). Only a submission without any error may be stored. A blank response (one that
    /// answers no item, as survey tools export a respondent who opened the survey and left) is not an error: it is
    /// counted in <c>Blank</c>, and left out of the responses stored and of every statistic.
    /// </summary>
    public static (List<SurveyResponse> Responses, int Blank, List<ValidationError> Errors) Validate(ResponseSubmissionRequest request,
        WaveState state, DateOnly today)
    {
        var errors = new List<ValidationError>();
        if (!Ids.IsValid(request.SubmissionId))
            errors.Add(new(null, "submissionId", "Give a submission id. " + Ids.Rule));
        if (request.Source is { } source && !Ids.IsValid(source))
            errors.Add(new(null, "source", "Name the sending system. " + Ids.Rule));
        if (state.Wave.Status != "open")
            errors.Add(new(null, "waveId", $"Wave '{state.Wave.WaveId}' is {state.Wave.Status}; it takes no more responses."));
        if (request.Responses is null || request.Responses.Count == 0)
        {
            errors.Add(new(null, "responses", "A submission needs at least one response."));
            return ([], 0, errors);
        }
        if (request.Responses.Count > MaxResponses)
        {
            errors.Add(new(null, "responses", $"A submission may carry at most {MaxResponses} responses; split it."));
            return ([], 0, errors);
        }
        var answering = request.Responses.Count(r => r is not null && !IsBlank(r));
        if (state.Wave.Invited is { } invited && state.RespondentIds.Count + answering > invited)
            errors.Add(new(null, "responses", $"The wave invited {invited}; {state.RespondentIds.Count} responses are stored and " +
                $"this submission brings {answering} more. Correct the wave's invited count first if it is wrong."));

        var items = state.Instrument.Items.ToDictionary(i => i.ItemId, StringComparer.Ordinal);
        var firstRowByRespondent = new Dictionary<string, int>(StringComparer.Ordinal);
        var responses = new List<SurveyResponse>(request.Responses.Count);
        var blank = 0;
        for (var i = 0; i < request.Responses.Count; i++)
        {
            var row = i + 1;
            var response = request.Responses[i];
            if (response is null)
            {
                errors.Add(new(row, "response", "The response is empty."));
                continue;
            }
            if (IsBlank(response))
            {
                blank++;
                continue;
            }
            var before = errors.Count;
            CheckRespondent(response, row, state, firstRowByRespondent, errors, today);
            var (answers, comments) = CheckAnswers(response.Answers, items, row, errors, today);
            if (errors.Count > before) continue;
            responses.Add(new SurveyResponse(response.RespondentId!, response.Code, Clean(response.Organisation), Clean(response.Role),
                (response.Teams ?? []).Distinct(StringComparer.Ordinal).ToList(), answers, comments));
        }
        return (errors.Count == 0 ? responses : [], blank, errors);
    }

    /// <summary>No item answered: every answer null, missing or blank text.</summary>
    public static bool IsBlank(ResponseRequest response) =>
        response.Answers is null || response.Answers.Values.All(v =>
            v.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined
            || v.ValueKind == JsonValueKind.String && string.IsNullOrWhiteSpace(v.GetString()));

    private static string? Clean(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    private static void CheckRespondent(ResponseRequest response, int row, WaveState state, Dictionary<string, int> firstRowByRespondent,
        List<ValidationError> errors, DateOnly today)
    {
        if (!Ids.IsValid(response.RespondentId))
            errors.Add(new(row, "respondentId", "A respondent id of 1–100 letters, digits, '-', '_' or '.' is required."));
        else if (Identifying(response.RespondentId, today) is { } what)
            errors.Add(new(row, "respondentId", $"The respondent id looks like {what}; responses are anonymous."));
        else if (state.RespondentIds.Contains(response.RespondentId!))
            errors.Add(new(row, "respondentId", $"Respondent {Text.Echo(response.RespondentId)} has already responded to this wave."));
        else if (firstRowByRespondent.TryGetValue(response.RespondentId!, out var first))
            errors.Add(new(row, "respondentId", $"Row {first} is already respondent {Text.Echo(response.RespondentId)}."));
        else firstRowByRespondent[response.RespondentId!] = row;

        if (response.Code is not null)
        {
            if (!SurveyVocabulary.IsValidCode(response.Code))
                errors.Add(new(row, "code", "An identification code has 2–20 letters and digits."));
            // Self-generated codes are letters and digits by design ("RW14VM" reads like the postcode RW1 4VM): only
            // numbers and addresses that reach a person are refused in them.
            else if (Identifying(response.Code, today, IdentifyingDataKind.NhsNumber, IdentifyingDataKind.Phone,
                         IdentifyingDataKind.Email) is { } what)
                errors.Add(new(row, "code", $"The code looks like {what}; use a self-generated code instead."));
        }
        CheckAttribute(response.Organisation, "organisation", row, errors, today);
        CheckAttribute(response.Role, "role", row, errors, today);
        if (response.Teams is { } teams)
        {
            if (teams.Count > MaxTeams) errors.Add(new(row, "teams", $"At most {MaxTeams} teams."));
            for (var t = 0; t < teams.Count; t++)
                if (!Ids.IsValid(teams[t])) errors.Add(new(row, $"teams[{t}]", "Not a valid team (unit) id."));
        }
    }

    private static void CheckAttribute(string? value, string field, int row, List<ValidationError> errors, DateOnly today)
    {
        if (!Text.Check(errors, row, field, value, Text.MaxName) || value is null) return;
        if (Identifying(value, today) is { } what) errors.Add(new(row, field, $"Contains {what}; responses are anonymous."));
    }

    private static string? Identifying(string? text, DateOnly today, params string[] kinds) =>
        string.IsNullOrEmpty(text) ? null
        : IdentifyingDataScreen.Find(text, today).FirstOrDefault(m => kinds.Length == 0 || kinds.Contains(m.Kind)) is { Length: > 0 } first
            ? IdentifyingDataKind.Describe(first.Kind) : null;

    private static (Dictionary<string, int?> Answers, Dictionary<string, string> Comments) CheckAnswers(
        Dictionary<string, JsonElement>? given, Dictionary<string, SurveyItem> items, int row, List<ValidationError> errors, DateOnly today)
    {
        var answers = items.Values.Where(i => i.Kind == SurveyVocabulary.Scale).ToDictionary(i => i.ItemId, _ => (int?)null, StringComparer.Ordinal);
        var comments = new Dictionary<string, string>(StringComparer.Ordinal);
        if (given is null) return (answers, comments); // a blank response, never stored
        var ignoringCase = items.Values.GroupBy(i => i.ItemId, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() == 1)
            .ToDictionary(g => g.Key, g => g.Single(), StringComparer.OrdinalIgnoreCase);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (key, value) in given)
        {
            var field = $"answers.{key}";
            // Item ids are matched exactly, or ignoring case when that is unambiguous (serialisers often camel-case keys).
            if (!items.TryGetValue(key, out var item) && !ignoringCase.TryGetValue(key, out item))
            {
                errors.Add(new(row, field, "Not an item of this wave's instrument."));
                continue;
            }
            var itemId = item.ItemId;
            if (!seen.Add(itemId))
            {
                errors.Add(new(row, field, "This item is answered twice (its id in two spellings)."));
                continue;
            }
            if (value.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined) continue;
            if (item.Kind == SurveyVocabulary.Scale)
            {
                if (!TryWholeNumber(value, out var number))
                    errors.Add(new(row, field, $"Give a whole number from {item.ScaleMin} to {item.ScaleMax}, or null."));
                else if (number < item.ScaleMin || number > item.ScaleMax)
                    errors.Add(new(row, field, $"{number} is outside the scale {item.ScaleMin}–{item.ScaleMax}."));
                else answers[itemId] = number;
                continue;
            }
            if (value.ValueKind != JsonValueKind.String)
            {
                errors.Add(new(row, field, "A free-text answer is a string."));
                continue;
            }
            var text = value.GetString()!.Trim();
            if (text.Length == 0) continue;
            if (!Text.Check(errors, row, field, text, MaxCommentLength)) continue;
            var found = IdentifyingDataScreen.Find(text, today);
            if (found.Count > 0)
            {
                errors.Add(new(row, field, "Responses are anonymous; remove " + string.Join(", ", found.Select(f =>
                    $"{IdentifyingDataKind.Describe(f.Kind)} (characters {f.Start + 1}–{f.Start + f.Length})")) + "."));
                continue;
            }
            comments[itemId] = text;
        }
        return (answers, comments);
    }

    /// <summary>A JSON number or numeric string holding a whole number (exports often quote numbers).</summary>
    private static bool TryWholeNumber(JsonElement value, out int number)
    {
        number = 0;
        if (value.ValueKind == JsonValueKind.Number) return value.TryGetInt32(out number) ||
            value.TryGetDouble(out var d) && d == Math.Floor(d) && d is >= int.MinValue and <= int.MaxValue && (number = (int)d) == d;
        return value.ValueKind == JsonValueKind.String &&
               int.TryParse(value.GetString()!.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out number);
    }
}

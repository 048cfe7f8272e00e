using System.Text.Json;
using Icp.Contracts.Surveys;
using Icp.Hosting;
using Icp.Hosting.Intake;

namespace Icp.Surveys.Domain;

/// <summary>
/// Reads responses exported as CSV by common survey tools: a header row, then one row per respondent.
/// Recognised columns (any case, spaces or underscores): respondent_id (also "respondent", "response_id", "id"),
/// code, organisation (or organization), role, teams (several separated by ';' or '|'); every other column is an
/// item id of the instrument. Columns named in <c>ignore</c> (e.g. a tool's start time) are skipped. Blank = not answered.
/// </summary>
public static class ResponseCsv
{
    private static readonly Dictionary<string, string> Attributes = new(StringComparer.Ordinal)
    {
        ["respondentid"] = "respondentId", ["respondent"] = "respondentId", ["responseid"] = "respondentId", ["id"] = "respondentId",
        ["code"] = "code", ["identificationcode"] = "code",
        ["organisation"] = "organisation", ["organization"] = "organisation",
        ["role"] = "role", ["jobrole"] = "role",
        ["teams"] = "teams", ["team"] = "teams",
    };

    public static (ResponseSubmissionRequest? Request, List<ValidationError> Errors) Parse(string csv, string? submissionId, string? source,
        InstrumentDefinedV1 instrument, IReadOnlyCollection<string> ignore)
    {
        var (rawHeader, records, errors) = CsvTable.Read(csv);
        if (rawHeader.Length == 0)
        {
            errors.Add(new(null, "body", "The CSV is empty; it needs a header row and at least one response."));
            return (null, errors);
        }
        var header = rawHeader;
        var itemIds = instrument.Items.Select(i => i.ItemId).ToList();
        var columns = new (string Kind, string Name)?[header.Length];
        for (var c = 0; c < header.Length; c++)
        {
            var name = header[c];
            if (ignore.Contains(name, StringComparer.OrdinalIgnoreCase) || name.Length == 0 && ignore.Contains("")) continue;
            var key = new string(name.Where(ch => ch is not (' ' or '_' or '-')).ToArray()).ToLowerInvariant();
            if (Attributes.TryGetValue(key, out var attribute)) columns[c] = ("attribute", attribute);
            else if ((itemIds.FirstOrDefault(id => id == name) ?? itemIds.FirstOrDefault(id => string.Equals(id, name, StringComparison.OrdinalIgnoreCase)))
                     is { } itemId)
                columns[c] = ("item", itemId);
            else errors.Add(new(null, CsvTable.ColumnName(header, c), $"Neither a respondent attribute nor an item of '{instrument.InstrumentId}' " +
                "(name it in ?ignore= to skip it)."));
        }
        // Two spellings of one column (e.g. "respondent_id" and "Respondent ID"); the same spelling twice is named above.
        var spellings = Enumerable.Range(0, header.Length).Where(c => columns[c] is not null)
            .GroupBy(c => columns[c]!.Value.Name).Where(g => g.Select(c => header[c]).Distinct(StringComparer.OrdinalIgnoreCase).Count() > 1);
        foreach (var duplicate in spellings)
            errors.Add(new(null, duplicate.Key, $"The column for {duplicate.Key} appears {duplicate.Count()} times."));
        if (!columns.Any(c => c is ("attribute", "respondentId"))) errors.Add(new(null, "respondentId", "The header needs a respondent_id column."));
        if (errors.Count > 0) return (null, errors);

        var responses = new List<ResponseRequest?>();
        foreach (var record in records)
        {
            if (record.Cells is not { } cells)
            {
                responses.Add(null);
                continue;
            }
            string? respondentId = null, code = null, organisation = null, role = null;
            List<string>? teams = null;
            var answers = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
            for (var c = 0; c < cells.Length; c++)
            {
                if (columns[c] is not { } column) continue;
                var value = cells[c].Trim();
                if (column.Kind == "item")
                {
                    answers[column.Name] = value.Length == 0 ? JsonSerializer.SerializeToElement<string?>(null) : JsonSerializer.SerializeToElement(value);
                    continue;
                }
                var text = value.Length == 0 ? null : value;
                switch (column.Name)
                {
                    case "respondentId": respondentId = text; break;
                    case "code": code = text; break;
                    case "organisation": organisation = text; break;
                    case "role": role = text; break;
                    case "teams": teams = text?.Split([';', '|'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList(); break;
                }
            }
            responses.Add(new ResponseRequest(respondentId, code, organisation, role, teams, answers));
        }
        return errors.Count > 0 ? (null, errors) : (new ResponseSubmissionRequest(submissionId, source, responses), errors);
    }
}

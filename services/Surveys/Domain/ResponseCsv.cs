using System.Text;
using System.Text.Json;
using Icp.Contracts.Surveys;
using Icp.Hosting;

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
        var errors = new List<ValidationError>();
        var records = ReadRecords(csv, errors);
        if (errors.Count > 0) return (null, errors);
        if (records.Count == 0)
        {
            errors.Add(new(null, "body", "The CSV is empty; it needs a header row and at least one response."));
            return (null, errors);
        }
        while (records.Count > 1 && records[^1] is [""]) records.RemoveAt(records.Count - 1);
        var header = records[0];
        var itemIds = instrument.Items.Select(i => i.ItemId).ToList();
        var columns = new (string Kind, string Name)?[header.Count];
        for (var c = 0; c < header.Count; c++)
        {
            var name = header[c].Trim().TrimStart('\uFEFF');
            if (ignore.Contains(name, StringComparer.OrdinalIgnoreCase) || name.Length == 0 && ignore.Contains("")) continue;
            var key = new string(name.Where(ch => ch is not (' ' or '_' or '-')).ToArray()).ToLowerInvariant();
            if (Attributes.TryGetValue(key, out var attribute)) columns[c] = ("attribute", attribute);
            else if ((itemIds.FirstOrDefault(id => id == name) ?? itemIds.FirstOrDefault(id => string.Equals(id, name, StringComparison.OrdinalIgnoreCase)))
                     is { } itemId)
                columns[c] = ("item", itemId);
            else errors.Add(new(null, $"column {c + 1}", $"'{name}' is neither a respondent attribute nor an item of '{instrument.InstrumentId}' " +
                "(name it in ?ignore= to skip it)."));
        }
        foreach (var duplicate in columns.OfType<(string Kind, string Name)>().GroupBy(c => c.Name).Where(g => g.Count() > 1))
            errors.Add(new(null, duplicate.Key, $"The column for {duplicate.Key} appears {duplicate.Count()} times."));
        if (!columns.Any(c => c is ("attribute", "respondentId"))) errors.Add(new(null, "respondentId", "The header needs a respondent_id column."));
        if (errors.Count > 0) return (null, errors);

        var responses = new List<ResponseRequest?>();
        for (var r = 1; r < records.Count; r++)
        {
            var cells = records[r];
            if (cells.Count != header.Count)
            {
                errors.Add(new(r, "row", $"The row has {cells.Count} cells; the header has {header.Count}."));
                responses.Add(null);
                continue;
            }
            string? respondentId = null, code = null, organisation = null, role = null;
            List<string>? teams = null;
            var answers = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
            for (var c = 0; c < cells.Count; c++)
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

    /// <summary>RFC 4180 records: quoted fields may hold commas, doubled quotes and line breaks.</summary>
    private static List<List<string>> ReadRecords(string csv, List<ValidationError> errors)
    {
        var records = new List<List<string>>();
        var record = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        var fieldStarted = false;
        for (var i = 0; i < csv.Length; i++)
        {
            var ch = csv[i];
            if (quoted)
            {
                if (ch == '"' && i + 1 < csv.Length && csv[i + 1] == '"') { field.Append('"'); i++; }
                else if (ch == '"') quoted = false;
                else field.Append(ch);
                continue;
            }
            switch (ch)
            {
                case '"' when field.Length == 0 && !fieldStarted:
                    quoted = true;
                    fieldStarted = true;
                    break;
                case ',':
                    record.Add(field.ToString());
                    field.Clear();
                    fieldStarted = false;
                    break;
                case '\r' when i + 1 < csv.Length && csv[i + 1] == '\n':
                    break;
                case '\n' or '\r':
                    record.Add(field.ToString());
                    records.Add(record);
                    record = [];
                    field.Clear();
                    fieldStarted = false;
                    break;
                default:
                    field.Append(ch);
                    fieldStarted = true;
                    break;
            }
        }
        if (quoted) errors.Add(new(records.Count == 0 ? null : records.Count, "body", "A quoted field is not closed."));
        if (field.Length > 0 || record.Count > 0 || fieldStarted)
        {
            record.Add(field.ToString());
            records.Add(record);
        }
        return records;
    }
}

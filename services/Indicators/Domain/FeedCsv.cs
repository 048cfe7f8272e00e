using System.Globalization;
using Icp.Hosting;

namespace Icp.Indicators.Domain;

/// <summary>
/// Reads a CSV feed (RFC 4180: comma separated, optional double quotes, "" inside quotes) with the header
/// <c>unit_id,indicator_id,period,value,numerator,denominator</c> in any column order, and an optional <c>category</c>
/// column (for indicators counted by type). Data rows are numbered from 1
/// (the header is not counted), the same numbering as the rows of a JSON feed. Blank lines are skipped but still counted
/// as lines, never as rows.
/// </summary>
public static class FeedCsv
{
    public static readonly string[] Columns = ["unit_id", "indicator_id", "period", "value", "numerator", "denominator"];
    public const string CategoryColumn = "category";

    /// <summary>Parses the text into the same request a JSON feed gives; structural problems come back as errors.</summary>
    public static (List<FeedRowRequest?> Rows, List<ValidationError> Errors) Parse(string text)
    {
        var errors = new List<ValidationError>();
        var rows = new List<FeedRowRequest?>();
        var lines = ReadRecords(text);
        if (lines.Count == 0)
        {
            errors.Add(new(null, "header", $"The CSV needs a header row: {string.Join(',', Columns)}."));
            return (rows, errors);
        }

        var header = lines[0].Fields.Select(h => h.Trim().ToLowerInvariant()).ToArray();
        var index = new int[Columns.Length];
        for (var c = 0; c < Columns.Length; c++)
        {
            index[c] = Array.IndexOf(header, Columns[c]);
            if (index[c] < 0) errors.Add(new(null, "header", $"The header lacks the column '{Columns[c]}'."));
        }
        var categoryIndex = Array.IndexOf(header, CategoryColumn);
        foreach (var unknown in header.Where(h => !Columns.Contains(h) && h != CategoryColumn))
            errors.Add(new(null, "header", $"Unknown column '{unknown}'; the columns are {string.Join(',', Columns)}."));
        if (errors.Count > 0) return (rows, errors);

        var rowNumber = 0;
        foreach (var (fields, quoteError) in lines.Skip(1))
        {
            if (fields.Length == 1 && fields[0].Length == 0) continue;
            rowNumber++;
            if (quoteError)
            {
                errors.Add(new(rowNumber, "row", "A quoted field is not closed."));
                rows.Add(null);
                continue;
            }
            if (fields.Length != header.Length)
            {
                errors.Add(new(rowNumber, "row", $"Expected {header.Length} fields, found {fields.Length}."));
                rows.Add(null);
                continue;
            }
            string? Field(int i) => i < 0 ? null : fields[i].Trim() is { Length: > 0 } t ? t : null;
            string? Text(int column) => Field(index[column]);
            rows.Add(new FeedRowRequest(Text(0), Text(1), Text(2), Number(Text(3)), Number(Text(4)), Number(Text(5)))
            {
                Category = Field(categoryIndex),
            });
        }
        return (rows, errors);
    }

    // NaN marks text that is not a number; validation names it (see LenientNumberConverter).
    private static double? Number(string? text) =>
        text is null ? null
        : double.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent,
            CultureInfo.InvariantCulture, out var value) ? value : double.NaN;

    private static List<(string[] Fields, bool QuoteError)> ReadRecords(string text)
    {
        var records = new List<(string[], bool)>();
        var fields = new List<string>();
        var field = new System.Text.StringBuilder();
        var i = 0;
        if (text.Length > 0 && text[0] == '\uFEFF') i = 1;
        while (i <= text.Length)
        {
            if (i == text.Length)
            {
                if (fields.Count > 0 || field.Length > 0) { fields.Add(field.ToString()); records.Add((fields.ToArray(), false)); }
                break;
            }
            var c = text[i];
            if (c == '"' && field.Length == 0)
            {
                var closed = false;
                i++;
                while (i < text.Length)
                {
                    if (text[i] == '"')
                    {
                        if (i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i += 2; continue; }
                        closed = true;
                        i++;
                        break;
                    }
                    field.Append(text[i++]);
                }
                if (!closed)
                {
                    fields.Add(field.ToString());
                    records.Add((fields.ToArray(), true));
                    return records;
                }
                continue;
            }
            if (c == ',') { fields.Add(field.ToString()); field.Clear(); i++; continue; }
            if (c is '\r' or '\n')
            {
                fields.Add(field.ToString());
                records.Add((fields.ToArray(), false));
                fields.Clear();
                field.Clear();
                i += c == '\r' && i + 1 < text.Length && text[i + 1] == '\n' ? 2 : 1;
                continue;
            }
            field.Append(c);
            i++;
        }
        return records;
    }
}

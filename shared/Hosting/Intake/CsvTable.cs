using System.Text;

namespace Icp.Hosting.Intake;

/// <summary>One data record of a CSV upload: its row number (from 1, the header and blank lines not counted) and its
/// cells, or no cells when the record is malformed (an error names it).</summary>
public sealed record CsvRecord(int Row, string[]? Cells);

/// <summary>
/// The one CSV reader of every upload (feeds, referral steps, survey responses): RFC 4180 (comma separated, optional
/// double quotes, <c>""</c> inside quotes, line breaks inside quotes), a byte-order mark ignored, blank lines skipped.
/// Refused, each named: a header column given twice (compared trimmed, ignoring case), a cell or header with a
/// control character, a record with more or fewer cells than the header, a quote left open.
/// </summary>
public static class CsvTable
{
    public static (string[] Header, List<CsvRecord> Records, List<ValidationError> Errors) Read(string text)
    {
        var errors = new List<ValidationError>();
        var lines = ReadLines(text);
        if (lines.Count == 0) return ([], [], errors);

        var (headerCells, headerQuoteOpen) = lines[0];
        var header = headerCells.Select(h => h.Trim()).ToArray();
        if (headerQuoteOpen) errors.Add(new(null, "header", "A quoted field is not closed."));
        for (var c = 0; c < header.Length; c++)
        {
            var bad = Text.IndexOfForbidden(header[c]);
            if (bad >= 0) errors.Add(new(null, $"column {c + 1}", Text.ForbiddenMessage(header[c], bad)));
        }
        foreach (var repeated in header.Where(h => h.Length > 0).GroupBy(h => h, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
            errors.Add(new(null, ColumnName(header, Array.IndexOf(header, repeated.First())),
                $"The column appears {repeated.Count()} times in the header; give it once."));

        var records = new List<CsvRecord>(lines.Count);
        var row = 0;
        foreach (var (cells, quoteOpen) in lines.Skip(1))
        {
            if (cells is [{ Length: 0 }] && !quoteOpen) continue;
            row++;
            if (quoteOpen)
            {
                errors.Add(new(row, "row", "A quoted field is not closed."));
                records.Add(new CsvRecord(row, null));
                continue;
            }
            if (cells.Length != header.Length)
            {
                errors.Add(new(row, "row", $"Expected {header.Length} fields, found {cells.Length}."));
                records.Add(new CsvRecord(row, null));
                continue;
            }
            var clean = true;
            for (var c = 0; c < cells.Length; c++)
            {
                var bad = Text.IndexOfForbidden(cells[c]);
                if (bad < 0) continue;
                errors.Add(new(row, ColumnName(header, c), Text.ForbiddenMessage(cells[c], bad)));
                clean = false;
            }
            records.Add(new CsvRecord(row, clean ? cells : null));
        }
        return (header, records, errors);
    }

    /// <summary>How errors name a column: by its header when that is a plain short name, else by its position.</summary>
    public static string ColumnName(string[] header, int column) =>
        header[column] is { Length: > 0 and <= 64 } name && Text.IndexOfForbidden(name) < 0 ? name.ToLowerInvariant() : $"column {column + 1}";

    // Each record's cells, and whether it ended inside an open quote (then it is the last).
    private static List<(string[] Cells, bool QuoteOpen)> ReadLines(string text)
    {
        var records = new List<(string[], bool)>();
        var cells = new List<string>();
        var cell = new StringBuilder();
        var i = text.Length > 0 && text[0] == '\uFEFF' ? 1 : 0;
        var atCellStart = true;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '"' && atCellStart)
            {
                i++;
                var closed = false;
                while (i < text.Length)
                {
                    if (text[i] == '"')
                    {
                        if (i + 1 < text.Length && text[i + 1] == '"')
                        {
                            cell.Append('"');
                            i += 2;
                            continue;
                        }
                        closed = true;
                        i++;
                        break;
                    }
                    cell.Append(text[i++]);
                }
                if (!closed)
                {
                    cells.Add(cell.ToString());
                    records.Add((cells.ToArray(), true));
                    return records;
                }
                atCellStart = false;
                continue;
            }
            atCellStart = false;
            if (c == ',')
            {
                cells.Add(cell.ToString());
                cell.Clear();
                atCellStart = true;
                i++;
            }
            else if (c is '\r' or '\n')
            {
                cells.Add(cell.ToString());
                records.Add((cells.ToArray(), false));
                cells.Clear();
                cell.Clear();
                atCellStart = true;
                i += c == '\r' && i + 1 < text.Length && text[i + 1] == '\n' ? 2 : 1;
            }
            else
            {
                cell.Append(c);
                i++;
            }
        }
        if (cells.Count > 0 || cell.Length > 0) { cells.Add(cell.ToString()); records.Add((cells.ToArray(), false)); }
        return records;
    }
}

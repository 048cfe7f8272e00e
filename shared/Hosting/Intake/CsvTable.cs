using nietras.SeparatedValues;

namespace Icp.Hosting.Intake;

/// <summary>One data record of a CSV upload: its row number (from 1, the header and blank lines not counted) and its
/// cells, or no cells when the record is malformed (an error names it).</summary>
public sealed record CsvRecord(int Row, string[]? Cells);

/// <summary>
/// The one CSV reader of every upload (feeds, referral steps, survey responses), on the Sep library: RFC 4180 (comma
/// separated, optional double quotes, <c>""</c> inside quotes, line breaks inside quotes; CRLF, LF or a lone CR ends
/// a record), a byte-order mark ignored, blank lines skipped. Refused, each named: a header column given twice
/// (compared trimmed, ignoring case), a cell or header with a control character, a record with more or fewer cells
/// than the header, a quote left open, a quote that does not enclose a whole field.
/// </summary>
public static class CsvTable
{
    private const string NotClosed = "A quoted field is not closed.";
    private const string StrayQuote =
        "A quote may only enclose a whole field; a quote inside one is written twice (\"\").";

    // Sep's column count check throws at the first record of another width (a blank line too), so it is off and each
    // record is counted here. Sep never checks quoting and takes a quote anywhere in a field as opening or closing a
    // quoted part: Unquote checks it.
    private static readonly SepReaderOptions Options =
        Sep.New(',').Reader(o => o with { HasHeader = false, DisableColCountCheck = true, Unescape = false });

    public static (string[] Header, List<CsvRecord> Records, List<ValidationError> Errors) Read(string text)
    {
        var errors = new List<ValidationError>();
        using var source = new StringReader(text);
        if (source.Peek() == '\uFEFF') source.Read();
        using var reader = Options.From(source);
        if (!reader.MoveNext()) return ([], [], errors);

        var header = Cells(reader.Current, out var headerProblem).Select(h => h.Trim()).ToArray();
        if (headerProblem is not null) errors.Add(new(null, "header", headerProblem));
        for (var c = 0; c < header.Length; c++)
        {
            var bad = Text.IndexOfForbidden(header[c]);
            if (bad >= 0) errors.Add(new(null, $"column {c + 1}", Text.ForbiddenMessage(header[c], bad)));
        }
        var repeats = header.Where(h => h.Length > 0).GroupBy(h => h, StringComparer.OrdinalIgnoreCase);
        foreach (var repeated in repeats.Where(g => g.Count() > 1))
            errors.Add(new(null, ColumnName(header, Array.IndexOf(header, repeated.First())),
                $"The column appears {repeated.Count()} times in the header; give it once."));

        var records = new List<CsvRecord>();
        var row = 0;
        while (reader.MoveNext())
        {
            var cells = Cells(reader.Current, out var problem);
            if (problem is null && cells is [{ Length: 0 }]) continue;
            row++;
            if (problem is not null)
            {
                errors.Add(new(row, "row", problem));
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

    /// <summary>How errors name a column: by its header when that is a plain short name, else by position.</summary>
    public static string ColumnName(string[] header, int column) =>
        header[column] is { Length: > 0 and <= 64 } name && Text.IndexOfForbidden(name) < 0
            ? name.ToLowerInvariant()
            : $"column {column + 1}";

    private static string[] Cells(SepReader.Row record, out string? problem)
    {
        problem = null;
        var cells = new string[record.ColCount];
        var quoted = record.Span.Contains('"');
        for (var c = 0; c < cells.Length; c++)
            cells[c] = quoted ? Unquote(record[c].Span, ref problem) : record[c].ToString();
        return cells;
    }

    // A field as Sep delimits it, quotes and all. An odd number of quotes means Sep ran to the end of the text inside
    // one; a quote that does not open the field means Sep may have joined what were meant as several records.
    private static string Unquote(ReadOnlySpan<char> field, ref string? problem)
    {
        if (field is ['"', .. var plain, '"'] && !plain.Contains('"')) return plain.ToString();
        if (!field.Contains('"')) return field.ToString();
        var quotes = field.Count('"');
        if (field[0] == '"' && quotes % 2 == 1)
        {
            problem ??= NotClosed;
            return field[1..].ToString().Replace("\"\"", "\"");
        }
        // Inside, quotes come only in pairs: every run of them is of even length.
        if (field is ['"', .. var inside, '"'] && inside.Count("\"\"") * 2 == quotes - 2)
            return inside.ToString().Replace("\"\"", "\"");
        problem ??= StrayQuote;
        return field.ToString();
    }
}

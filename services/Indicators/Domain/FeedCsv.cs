using System.Globalization;
using Icp.Hosting;
using Icp.Hosting.Intake;

namespace Icp.Indicators.Domain;

/// <summary>
/// Reads a CSV feed (RFC 4180: comma separated, optional double quotes, "" inside quotes) with the header
/// <c>unit_id,indicator_id,period,value,numerator,denominator</c> in any column order, and an optional <c>category</c>
/// column (for indicators counted by type). Data rows are numbered from 1
/// (the header is not counted), the same numbering as the rows of a JSON feed; blank lines are skipped and not
/// counted (the shared <see cref="CsvTable"/> reader).
/// </summary>
public static class FeedCsv
{
    public static readonly string[] Columns = ["unit_id", "indicator_id", "period", "value", "numerator", "denominator"];
    public const string CategoryColumn = "category";

    /// <summary>Parses the text into the same request a JSON feed gives; structural problems come back as errors.</summary>
    public static (List<FeedRowRequest?> Rows, List<ValidationError> Errors) Parse(string text)
    {
        var (rawHeader, records, errors) = CsvTable.Read(text);
        var rows = new List<FeedRowRequest?>();
        if (rawHeader.Length == 0)
        {
            errors.Add(new(null, "header", $"The CSV needs a header row: {string.Join(',', Columns)}."));
            return (rows, errors);
        }

        var header = rawHeader.Select(h => h.ToLowerInvariant()).ToArray();
        var index = new int[Columns.Length];
        for (var c = 0; c < Columns.Length; c++)
        {
            index[c] = Array.IndexOf(header, Columns[c]);
            if (index[c] < 0) errors.Add(new(null, "header", $"The header lacks the column '{Columns[c]}'."));
        }
        var categoryIndex = Array.IndexOf(header, CategoryColumn);
        for (var c = 0; c < header.Length; c++)
            if (!Columns.Contains(header[c]) && header[c] != CategoryColumn)
                errors.Add(new(null, CsvTable.ColumnName(rawHeader, c), $"Unknown column; the columns are {string.Join(',', Columns)}."));
        if (errors.Any(e => e.Row is null)) return (rows, errors);

        foreach (var record in records)
        {
            if (record.Cells is not { } fields)
            {
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
}

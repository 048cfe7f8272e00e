using Icp.Hosting;
using Icp.Hosting.Intake;

namespace Icp.Referrals.Domain;

/// <summary>
/// CSV bulk steps: header <c>referral_id,step,date,unit_id,source,destination,outcome,redirected_to,reason</c> (any order;
/// only referral_id, step and date are required columns), read by the shared <see cref="CsvTable"/> (quoted fields
/// allowed). Data rows are numbered from 1, the header and blank lines not counted.
/// A header naming identifying data (e.g. nhs_number, name, address) is refused whole.
/// </summary>
public static class ReferralCsv
{
    public static readonly string[] Columns = ["referral_id", "step", "date", "unit_id", "source", "destination", "outcome", "redirected_to", "reason"];
    private static readonly string[] RequiredColumns = ["referral_id", "step", "date"];

    public static (List<ReferralStepRequest?> Rows, List<ValidationError> Errors) Parse(string text)
    {
        var (rawHeader, records, errors) = CsvTable.Read(text);
        var rows = new List<ReferralStepRequest?>();
        if (rawHeader.Length == 0)
        {
            errors.Add(new(null, "header", $"The CSV needs a header row: {string.Join(',', Columns)}."));
            return (rows, errors);
        }
        var header = rawHeader.Select(h => h.ToLowerInvariant()).ToArray();
        for (var c = 0; c < header.Length; c++)
            if (!Columns.Contains(header[c]))
                errors.Add(new(null, CsvTable.ColumnName(rawHeader, c), Pseudonymisation.IsIdentifyingFieldName(header[c])
                    ? "Referral records are pseudonymised: names, NHS numbers, addresses, dates of birth and contact details are not accepted."
                    : $"Unknown column; the columns are {string.Join(',', Columns)}."));
        foreach (var column in RequiredColumns.Where(c => !header.Contains(c)))
            errors.Add(new(null, "header", $"The header lacks the column '{column}'."));
        if (errors.Any(e => e.Row is null)) return (rows, errors);

        foreach (var record in records)
        {
            if (record.Cells is not { } cells)
            {
                rows.Add(null);
                continue;
            }
            string? Field(string column) => Array.IndexOf(header, column) is var i and >= 0 && cells[i].Trim() is { Length: > 0 } v ? v : null;
            rows.Add(new ReferralStepRequest(Field("referral_id"), Field("step"), Field("date"), Field("unit_id"), Field("source"),
                Field("destination"), Field("outcome"), Field("redirected_to"), Field("reason")));
        }
        return (rows, errors);
    }
}

using Icp.Hosting;

namespace Icp.Referrals.Domain;

/// <summary>
/// CSV bulk steps: header <c>referral_id,step,date,unit_id,source,destination,outcome,redirected_to,reason</c> (any order;
/// only referral_id, step and date are required columns). Data rows are numbered from 1, the header not counted.
/// A header naming identifying data (e.g. nhs_number, name, address) is refused whole.
/// </summary>
public static class ReferralCsv
{
    public static readonly string[] Columns = ["referral_id", "step", "date", "unit_id", "source", "destination", "outcome", "redirected_to", "reason"];
    private static readonly string[] RequiredColumns = ["referral_id", "step", "date"];

    public static (List<ReferralStepRequest?> Rows, List<ValidationError> Errors) Parse(string text)
    {
        var errors = new List<ValidationError>();
        var rows = new List<ReferralStepRequest?>();
        var lines = text.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        if (lines.Count > 0 && lines[0].StartsWith('\uFEFF')) lines[0] = lines[0][1..];
        if (lines.Count == 0 || lines[0].Trim().Length == 0)
        {
            errors.Add(new(null, "header", $"The CSV needs a header row: {string.Join(',', Columns)}."));
            return (rows, errors);
        }
        var header = lines[0].Split(',').Select(h => h.Trim().ToLowerInvariant()).ToArray();
        foreach (var column in header.Where(h => !Columns.Contains(h)))
            errors.Add(new(null, column, Pseudonymisation.IsIdentifyingFieldName(column)
                ? "Referral records are pseudonymised: names, NHS numbers, addresses, dates of birth and contact details are not accepted."
                : $"Unknown column; the columns are {string.Join(',', Columns)}."));
        foreach (var column in RequiredColumns.Where(c => !header.Contains(c)))
            errors.Add(new(null, "header", $"The header lacks the column '{column}'."));
        if (errors.Count > 0) return (rows, errors);

        var rowNumber = 0;
        foreach (var line in lines.Skip(1))
        {
            if (line.Trim().Length == 0) continue;
            rowNumber++;
            var fields = line.Split(',');
            if (fields.Length != header.Length)
            {
                errors.Add(new(rowNumber, "row", $"Expected {header.Length} fields, found {fields.Length} (quoted fields are not used in referral CSV)."));
                rows.Add(null);
                continue;
            }
            string? Field(string column) => Array.IndexOf(header, column) is var i and >= 0 && fields[i].Trim() is { Length: > 0 } v ? v : null;
            rows.Add(new ReferralStepRequest(Field("referral_id"), Field("step"), Field("date"), Field("unit_id"), Field("source"),
                Field("destination"), Field("outcome"), Field("redirected_to"), Field("reason")));
        }
        return (rows, errors);
    }
}

using Icp.Hosting;
using Icp.Hosting.Intake;
using Icp.Hosting.Security;
using Icp.Referrals.Domain;

namespace Icp.Referrals;

/// <summary>A bulk submission: every row validated, then every step applied in row order, all or nothing; idempotent on submissionId.</summary>
public static class BulkSubmission
{
    public static async Task<IResult> ApplyAsync(ReferralBulkRequest request, List<ValidationError> errors, HttpContext http,
        ReferralService service, TimeProvider clock, CancellationToken ct)
    {
        var (source, refusal) = http.Caller().SourceFor(request.Source);
        if (refusal is not null) return Problems.Forbidden(refusal);
        request = request with { Source = source };
        foreach (var field in request.Unexpected?.Keys ?? Enumerable.Empty<string>())
            errors.Add(new(null, field, "Not a field of a bulk submission."));
        if (!Ids.IsValid(request.SubmissionId)) errors.Add(new(null, "submissionId", "Give a submission id. " + Ids.Rule));
        if (request.Source is not null && !Ids.IsValid(request.Source)) errors.Add(new(null, "source", Ids.Rule));
        var rows = request.Rows ?? [];
        if (rows.Count == 0 && errors.Count == 0) errors.Add(new(null, "rows", "A submission needs at least one row."));
        if (rows.Count > ReferralValidation.MaxRows)
            return Problems.Validation([new(null, "rows", $"A submission may carry at most {ReferralValidation.MaxRows} rows; split it.")]);

        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var alreadyRejected = errors.Where(e => e.Row is not null).Select(e => e.Row!.Value).ToHashSet();
        var steps = new List<(int? Row, ReferralStep Step)>(rows.Count);
        for (var i = 0; i < rows.Count; i++)
        {
            if (alreadyRejected.Contains(i + 1)) continue;
            if (rows[i] is not { } row)
            {
                errors.Add(new(i + 1, "row", "The row is empty."));
                continue;
            }
            if (ReferralValidation.Validate(row, i + 1, today, errors) is { } step) steps.Add((i + 1, step));
        }
        if (errors.Count > 0) return Problems.Validation(Sorted(errors));

        var scope = await http.UnitScopeAsync(steps.Select(s => s.Step.UnitId).OfType<string>().Distinct());
        var result = await service.ApplyAsync(steps, request.SubmissionId, request.Source ?? "bulk", rows.Count, scope, ct);
        return result switch
        {
            { Accepted: { } accepted } => Results.Accepted($"/api/v1/referrals/submissions/{accepted.SubmissionId}", accepted),
            { Conflict: { } conflict } => Problems.Conflict(conflict),
            _ => Problems.Validation(Sorted(result.Errors)),
        };
    }

    /// <summary>Reads a bulk upload (JSON, or CSV with <c>?source=&amp;submissionId=</c>) up to the size limit and applies it.</summary>
    public static async Task<IResult> ReadAndApplyAsync(HttpRequest http, string? source, string? submissionId, long maxBytes,
        ReferralService service, TimeProvider clock, CancellationToken ct)
    {
        var upload = await Uploads.ReadAsync(http, maxBytes, "referral steps", text =>
        {
            var (rows, errors) = ReferralCsv.Parse(text);
            return (new ReferralBulkRequest(submissionId, source, rows), errors);
        }, ct);
        if (upload.Refusal is { } refusal) return refusal;
        var (request, errors) = (upload.Request!, upload.CsvErrors);
        return await ApplyAsync(request, errors, http.HttpContext, service, clock, ct);
    }

    private static List<ValidationError> Sorted(List<ValidationError> errors) => errors.OrderBy(e => e.Row ?? 0).ToList();
}

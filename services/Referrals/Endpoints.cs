using Icp.Hosting;
using Icp.Referrals.Domain;

namespace Icp.Referrals;

/// <summary>One lifecycle step through its own endpoint: 201 when recorded, 200 when already recorded alike, 409 when out of order.</summary>
public sealed class SingleStep(ReferralService service, ReferralQueries queries, TimeProvider clock)
{
    public async Task<IResult> ApplyAsync(string? referralId, string step, ReferralStepRequest request, string? source, CancellationToken ct)
    {
        var errors = new List<ValidationError>();
        if (request.Step is not null && request.Step != step)
            errors.Add(new(null, "step", $"This endpoint records the '{step}' step; leave 'step' out or send '{step}'."));
        if (request.ReferralId is not null && request.ReferralId != referralId)
            errors.Add(new(null, "referralId", "The body names another referral than the path."));
        if (source is not null && !ReferralValidation.IsValidSubmissionId(source))
            errors.Add(new(null, "source", "Use 1–100 letters, digits, '-', '_' or '.'."));
        var validated = ReferralValidation.Validate(request with { ReferralId = referralId, Step = step }, null, Today(), errors);
        if (errors.Count > 0 || validated is null) return Problems.Validation(errors);

        var result = await service.ApplyAsync([(null, validated)], null, source ?? "api", 1, ct);
        if (result.Errors.Count > 0)
            return Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "The step does not fit the referral's lifecycle.",
                detail: string.Join(" ", result.Errors.Select(e => e.Message)),
                extensions: new Dictionary<string, object?> { ["errors"] = result.Errors });
        var view = await queries.GetAsync(validated.ReferralId, ct);
        return result.Plan!.EventCount > 0 ? Results.Created($"/api/v1/referrals/{validated.ReferralId}", view) : Results.Ok(view);
    }

    private DateOnly Today() => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
}

/// <summary>A bulk submission: every row validated, then every step applied in row order, all or nothing; idempotent on submissionId.</summary>
public static class BulkSubmission
{
    public static async Task<IResult> ApplyAsync(ReferralBulkRequest request, List<ValidationError> errors, ReferralService service,
        TimeProvider clock, CancellationToken ct)
    {
        foreach (var field in request.Unexpected?.Keys ?? Enumerable.Empty<string>())
            errors.Add(new(null, field, "Not a field of a bulk submission."));
        if (!ReferralValidation.IsValidSubmissionId(request.SubmissionId))
            errors.Add(new(null, "submissionId", "Give a submission id of 1–100 letters, digits, '-', '_' or '.'."));
        if (request.Source is not null && !ReferralValidation.IsValidSubmissionId(request.Source))
            errors.Add(new(null, "source", "Use 1–100 letters, digits, '-', '_' or '.'."));
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

        var result = await service.ApplyAsync(steps, request.SubmissionId, request.Source ?? "bulk", rows.Count, ct);
        return result.Accepted is { } accepted
            ? Results.Accepted($"/api/v1/referrals/submissions/{accepted.SubmissionId}", accepted)
            : Problems.Validation(Sorted(result.Errors));
    }

    private static List<ValidationError> Sorted(List<ValidationError> errors) => errors.OrderBy(e => e.Row ?? 0).ToList();
}

using Icp.Hosting;
using Icp.Hosting.Intake;
using Icp.Hosting.Security;
using Icp.Referrals.Domain;

namespace Icp.Referrals;

/// <summary>One lifecycle step through its own endpoint: 201 when recorded, 200 when already recorded alike, 409 when out of order.</summary>
public sealed class SingleStep(ReferralService service, ReferralQueries queries, UnitSystems unitSystems, TimeProvider clock)
{
    public async Task<IResult> ApplyAsync(string? referralId, string step, ReferralStepRequest request, string? requestedSource,
        Caller caller, CancellationToken ct)
    {
        var (source, refusal) = caller.SourceFor(requestedSource);
        if (refusal is not null) return Problems.Forbidden(refusal);
        var errors = new List<ValidationError>();
        if (request.Step is not null && request.Step != step)
            errors.Add(new(null, "step", $"This endpoint records the '{step}' step; leave 'step' out or send '{step}'."));
        if (request.ReferralId is not null && request.ReferralId != referralId)
            errors.Add(new(null, "referralId", "The body names another referral than the path."));
        if (source is not null && !Ids.IsValid(source)) errors.Add(new(null, "source", Ids.Rule));
        var validated = ReferralValidation.Validate(request with { ReferralId = referralId, Step = step }, null, Today(), errors);
        if (errors.Count > 0 || validated is null) return Problems.Validation(errors);

        var scope = await unitSystems.ScopeAsync(caller, validated.UnitId is { } unit ? [unit] : null, ct);
        var result = await service.ApplyAsync([(null, validated)], null, source ?? "api", 1, scope, ct);
        if (result.Errors is [{ Field: "referralId" or "unitId", Message: "No such referral." or UnitScope.NotFoundDetail } unseen])
            return Problems.NotFound(unseen.Message);
        if (result.Errors.Count > 0)
            return Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "The step does not fit the referral's lifecycle.",
                detail: string.Join(" ", result.Errors.Select(e => e.Message)),
                extensions: new Dictionary<string, object?> { ["errors"] = result.Errors });
        var view = await queries.GetAsync(validated.ReferralId, ct);
        return result.Plan!.EventCount > 0 ? Results.Created($"/api/v1/referrals/{validated.ReferralId}", view) : Results.Ok(view);
    }

    private DateOnly Today() => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
}

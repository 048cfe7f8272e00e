using Icp.Hosting;
using Icp.Hosting.Security;
using Icp.Referrals.Domain;

namespace Icp.Referrals;

/// <summary>How large a bulk upload may be (configuration Referrals:MaxBodyBytes).</summary>
public sealed record ReferralLimits(long MaxBodyBytes);

/// <summary>The referral lifecycle: one step at a time, or many in a bulk submission; and reading referrals back.</summary>
public static class ReferralEndpoints
{
    public static WebApplicationBuilder AddReferrals(this WebApplicationBuilder builder)
    {
        var limits = new ReferralLimits(builder.Configuration.GetValue("Referrals:MaxBodyBytes", 32L * 1024 * 1024));
        builder.Services.AddSingleton(limits);
        builder.Services.AddSingleton<ReferralService>();
        builder.Services.AddSingleton<ReferralQueries>();
        builder.Services.AddSingleton<SingleStep>();
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = limits.MaxBodyBytes + 1);
        return builder;
    }

    public static RouteGroupBuilder MapReferrals(this RouteGroupBuilder api)
    {
        var referrals = api.MapGroup("/referrals");
        var writes = referrals.MapGroup("").RequireScope(Scopes.ReferralsWrite);
        writes.MapPost("", (ReferralStepRequest request, string? source, HttpContext http, SingleStep handler, CancellationToken ct) =>
            handler.ApplyAsync(request.ReferralId, Steps.Received, request, source, http.Caller(), ct));
        foreach (var (path, step) in new[]
                 {
                     ("triage", Steps.Triaged), ("assessment", Steps.Assessed), ("service-start", Steps.ServiceStarted),
                     ("discharge", Steps.Discharged),
                 })
            writes.MapPost($"/{{referralId}}/{path}", (string referralId, ReferralStepRequest request, string? source, HttpContext http,
                SingleStep handler, CancellationToken ct) => handler.ApplyAsync(referralId, step, request, source, http.Caller(), ct));
        writes.MapPost("/bulk", (HttpRequest http, string? source, string? submissionId, ReferralService service, TimeProvider clock,
                ReferralLimits limits, CancellationToken ct) =>
                BulkSubmission.ReadAndApplyAsync(http, source, submissionId, limits.MaxBodyBytes, service, clock, ct))
            .Accepts<ReferralBulkRequest>("application/json", "text/csv")
            .Produces<BulkAccepted>(StatusCodes.Status202Accepted)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status409Conflict);

        // Referral-level rows are sensitive; a submission's status is for its sender and for readers.
        var rows = referrals.MapGroup("").RequireScope(Scopes.ReadSensitive);
        rows.MapGet("", async (string? unitId, string? stage, DateOnly? from, DateOnly? to, int? limit, HttpContext http,
            ReferralQueries queries, CancellationToken ct) =>
            await queries.ListAsync(unitId, stage, from, to, Math.Clamp(limit ?? 1000, 1, 10_000), (await http.UnitScopeAsync()).UnitIds, ct))
            .AuditRead("referral rows", "unitId", "stage", "from", "to", "limit");
        referrals.MapGet("/submissions/{submissionId}", GetSubmission).RequireScope(Scopes.ReadAggregate, Scopes.ReferralsWrite);
        rows.MapGet("/{referralId}", GetReferral).AuditRead("referral");
        return api;
    }

    // Submission ids are scoped to their source: name it when several sources used the same id.
    private static async Task<IResult> GetSubmission(string submissionId, string? source, HttpContext http, ReferralQueries queries,
        CancellationToken ct) =>
        await http.StatusAsync(await queries.GetSubmissionsAsync(submissionId, http.Caller().SubmissionsOf(source), ct));

    private static async Task<IResult> GetReferral(string referralId, HttpContext http, ReferralQueries queries, CancellationToken ct) =>
        await queries.GetAsync(referralId, ct) is { } referral && (await http.UnitScopeAsync([referral.UnitId])).Includes(referral.UnitId)
            ? Results.Ok(referral)
            : Problems.NotFound("No such referral.");
}

using Icp.Hosting;
using Icp.Contracts.Indicators;
using Icp.Hosting.Intake;
using Icp.Hosting.Security;
using Icp.Indicators.Domain;

namespace Icp.Indicators;

/// <summary>How large a feed may be (configuration Feeds:MaxBodyBytes).</summary>
public sealed record FeedLimits(long MaxBodyBytes);

/// <summary>Monthly feeds in (JSON or CSV), submission status and completeness.</summary>
public static class FeedEndpoints
{
    public static WebApplicationBuilder AddFeeds(this WebApplicationBuilder builder)
    {
        var limits = new FeedLimits(builder.Configuration.GetValue("Feeds:MaxBodyBytes", 64L * 1024 * 1024));
        builder.Services.AddSingleton(limits);
        builder.Services.AddSingleton<FeedService>();
        builder.Services.AddSingleton<FeedQueries>();
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = limits.MaxBodyBytes + 1);
        return builder;
    }

    public static RouteGroupBuilder MapFeeds(this RouteGroupBuilder api)
    {
        api.MapPost("/feeds", Submit)
            .RequireScope(Scopes.FeedsWrite)
            .Accepts<FeedRequest>("application/json", "text/csv")
            .Produces<FeedAccepted>(StatusCodes.Status202Accepted)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status409Conflict);
        // A source client sees its own submissions; readers every source's that wrote only to units of their systems.
        var status = api.MapGroup("/feeds").RequireScope(Scopes.ReadAggregate, Scopes.FeedsWrite);
        status.MapGet("", ListSubmissions);
        status.MapGet("/completeness", Completeness);
        status.MapGet("/{submissionId}", GetSubmission);

        var grants = api.MapGroup("/admin/indicators/series-grants").RequireScope(Scopes.Admin).WithTags("admin");
        grants.MapGet("", (FeedQueries queries, CancellationToken ct) => queries.ListGrantsAsync(ct))
            .WithSummary("Series a source may revise although another source sends them");
        grants.MapPut("/{indicatorId}/{unitId}/{source}", GrantAsync)
            .WithSummary("Let a source revise a series another source sends");
        grants.MapDelete("/{indicatorId}/{unitId}/{source}", async (string indicatorId, string unitId, string source,
            FeedQueries queries, CancellationToken ct) =>
        {
            await queries.RevokeGrantAsync(indicatorId, unitId, source, ct);
            return Results.NoContent();
        });
        return api;
    }

    private static async Task<IResult> GrantAsync(string indicatorId, string unitId, string source, HttpContext http,
        FeedQueries queries, CancellationToken ct)
    {
        var errors = new List<ValidationError>();
        var (indicator, category) = IndicatorSeries.Parse(indicatorId);
        if (!Ids.IsValid(indicator) || (category is not null && !Ids.IsValid(category)))
            errors.Add(new(null, "indicatorId", "Not a valid indicator or series ({indicatorId}:{category}) id."));
        if (!Ids.IsValid(unitId)) errors.Add(new(null, "unitId", Ids.Rule));
        if (!Ids.IsValid(source)) errors.Add(new(null, "source", Ids.Rule));
        if (errors.Count > 0) return Problems.Validation(errors);
        var grant = await queries.GrantAsync(indicatorId, unitId, source, http.Caller().Principal, ct);
        return Results.Ok(grant);
    }

    private static async Task<IResult> Submit(HttpRequest http, string? source, string? submissionId, FeedService feeds,
        FeedLimits limits, CancellationToken ct)
    {
        var upload = await Uploads.ReadAsync(http, limits.MaxBodyBytes, "a feed", text =>
        {
            var (rows, errors) = FeedCsv.Parse(text);
            return (new FeedRequest(source, submissionId, rows), errors);
        }, ct);
        if (upload.Refusal is { } refusal) return refusal;
        var (request, parseErrors) = (upload.Request!, upload.CsvErrors);
        if (request.Rows is [] && parseErrors.Count > 0) return Problems.Validation(parseErrors);
        var result = await feeds.SubmitAsync(request, http.HttpContext.Caller(), ct, parseErrors);
        return result switch
        {
            { Accepted: { } accepted } => Results.Accepted($"/api/v1/feeds/{accepted.SubmissionId}", accepted),
            { Forbidden: { } forbidden } => Problems.Forbidden(forbidden, result.Errors),
            { Conflict: { } conflict } => Problems.Conflict(conflict),
            _ => Problems.Validation(result.Errors),
        };
    }

    private static async Task<IResult> Completeness(string? source, string? asOf, HttpContext http, FeedQueries queries,
        CancellationToken ct)
    {
        source = http.Caller().SubmissionsOf(source);
        DateOnly? day = null;
        if (asOf is not null)
        {
            if (!Months.TryParseDate(asOf, out var parsed)) return Problems.Validation([new ValidationError(null, "asOf", Months.DateRule)]);
            day = parsed;
        }
        var report = await queries.GetCompletenessAsync(source, day, ct);
        var scope = await http.UnitScopeAsync();
        return Results.Ok(scope.IsEverything ? report : report with { Combinations = report.Combinations.Where(c => scope.Includes(c.UnitId)).ToList() });
    }

    // Submission ids are scoped to their source: name it when several sources used the same id.
    private static async Task<List<SubmissionStatus>> ListSubmissions(string? source, int? limit, HttpContext http,
        FeedQueries queries, CancellationToken ct) =>
        await queries.ListSubmissionsAsync(http.Caller().SubmissionsOf(source), (await http.UnitScopeAsync()).UnitIds,
            Math.Clamp(limit ?? 100, 1, 1000), ct);

    private static async Task<IResult> GetSubmission(string submissionId, string? source, HttpContext http, FeedQueries queries,
        CancellationToken ct) =>
        await http.StatusAsync(await queries.GetSubmissionsAsync(submissionId, http.Caller().SubmissionsOf(source), ct));
}

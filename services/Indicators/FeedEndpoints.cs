using Icp.Hosting;
using Icp.Hosting.Intake;
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
            .Accepts<FeedRequest>("application/json", "text/csv")
            .Produces<FeedAccepted>(StatusCodes.Status202Accepted)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict);
        api.MapGet("/feeds", (string? source, int? limit, FeedQueries queries, CancellationToken ct) =>
            queries.ListSubmissionsAsync(source, Math.Clamp(limit ?? 100, 1, 1000), ct));
        api.MapGet("/feeds/completeness", Completeness);
        api.MapGet("/feeds/{submissionId}", GetSubmission);
        return api;
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
        var result = await feeds.SubmitAsync(request, ct, parseErrors);
        return result switch
        {
            { Accepted: { } accepted } => Results.Accepted($"/api/v1/feeds/{accepted.SubmissionId}", accepted),
            { Conflict: { } conflict } => Problems.Conflict(conflict),
            _ => Problems.Validation(result.Errors),
        };
    }

    private static async Task<IResult> Completeness(string? source, string? asOf, FeedQueries queries, CancellationToken ct)
    {
        DateOnly? day = null;
        if (asOf is not null)
        {
            if (!Months.TryParseDate(asOf, out var parsed)) return Problems.Validation([new ValidationError(null, "asOf", Months.DateRule)]);
            day = parsed;
        }
        return Results.Ok(await queries.GetCompletenessAsync(source, day, ct));
    }

    // Submission ids are scoped to their source: name it when several sources used the same id.
    private static async Task<IResult> GetSubmission(string submissionId, string? source, FeedQueries queries, CancellationToken ct) =>
        await queries.GetSubmissionsAsync(submissionId, source, ct) switch
        {
            [var only] => Results.Ok(only),
            [] => Problems.NotFound("No accepted submission under this id (a rejected submission stores nothing)."),
            _ => Problems.Conflict("Several sources used this submission id; name one with ?source=."),
        };
}

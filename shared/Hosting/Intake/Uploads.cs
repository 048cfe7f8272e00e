using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Icp.Hosting.Intake;

/// <summary>An upload read: the request (from JSON or CSV) with the CSV's structural errors, or the answer that refuses
/// the upload outright (too large, unreadable JSON, a content type that is neither).</summary>
public sealed record Upload<T>(T? Request, List<ValidationError> CsvErrors, IResult? Refusal) where T : class;

/// <summary>An upload that may come as JSON or CSV (feeds, referral steps, survey responses): read whole up to a size
/// limit, JSON bound strictly (<see cref="JsonIntake.Options"/>), CSV handed to the caller's parser.</summary>
public static class Uploads
{
    public static bool IsCsv(HttpRequest request) =>
        request.ContentType?.StartsWith("text/csv", StringComparison.OrdinalIgnoreCase) == true;

    public static bool IsJson(HttpRequest request) =>
        request.ContentType is null || request.ContentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase)
        || request.ContentType.Contains("+json", StringComparison.OrdinalIgnoreCase);

    public static IResult UnsupportedMediaType(string what) =>
        Results.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type.",
            detail: $"Send {what} as application/json or text/csv.");

    /// <param name="what">What the upload is, for the 415 answer ("a feed").</param>
    /// <param name="fromCsv">Turns the CSV text into the request, with the structural errors it found.</param>
    public static async Task<Upload<T>> ReadAsync<T>(HttpRequest http, long maxBytes, string what,
        Func<string, (T Request, List<ValidationError> Errors)> fromCsv, CancellationToken ct) where T : class
    {
        var body = await RequestBody.ReadAsync(http, maxBytes, ct);
        if (body is null) return new(null, [], Problems.TooLarge(maxBytes));
        if (IsCsv(http))
        {
            var (request, errors) = fromCsv(Encoding.UTF8.GetString(body));
            return new(request, errors, null);
        }
        if (!IsJson(http)) return new(null, [], UnsupportedMediaType(what));
        if (body.Length == 0) return new(null, [], Problems.Validation([new(null, "body", "A JSON body is required.")]));
        try
        {
            return JsonSerializer.Deserialize<T>(body, JsonIntake.Options) is { } request
                ? new(request, [], null)
                : new(null, [], Problems.Validation([new(null, "body", "A JSON object is required.")]));
        }
        catch (JsonException e)
        {
            return new(null, [], Problems.Validation([JsonIntake.ToError(e)]));
        }
    }
}

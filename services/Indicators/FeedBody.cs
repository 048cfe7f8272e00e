namespace Icp.Indicators;

/// <summary>Reads a feed body up to a size limit, whatever server runs the service (Kestrel or a test host).</summary>
public static class FeedBody
{
    public static bool IsCsv(HttpRequest request) =>
        request.ContentType?.StartsWith("text/csv", StringComparison.OrdinalIgnoreCase) == true;

    public static bool IsJson(HttpRequest request) =>
        request.ContentType is null || request.ContentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase)
        || request.ContentType.Contains("+json", StringComparison.OrdinalIgnoreCase);

    public static IResult TooLarge(long maxBytes) => Results.Problem(statusCode: StatusCodes.Status413PayloadTooLarge,
        title: "The request body is too large.",
        detail: $"A feed may be at most {maxBytes:N0} bytes; split it into several submissions. Nothing was stored.");
}

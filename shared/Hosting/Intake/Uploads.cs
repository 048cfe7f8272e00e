using Microsoft.AspNetCore.Http;

namespace Icp.Hosting.Intake;

/// <summary>An upload that may come as JSON or CSV: which one it is, read whole up to a size limit.</summary>
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
}

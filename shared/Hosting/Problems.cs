using System.Text.Json;
using Icp.EventStore;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Icp.Hosting;

/// <summary>One bad field or row of a request, as the public contract names it.</summary>
public sealed record ValidationError(int? Row, string Field, string Message);

public static class Problems
{
    /// <summary>400 with every bad field or row listed (RFC 9457, <c>errors</c> as the contract shapes it).</summary>
    public static IResult Validation(IReadOnlyList<ValidationError> errors, string? detail = null) =>
        Results.Problem(new ProblemDetails
        {
            Status = StatusCodes.Status400BadRequest,
            Title = "The request is not valid.",
            Detail = detail ?? $"{errors.Count} problem(s) found; nothing was stored.",
            Type = "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.1",
            Extensions = { ["errors"] = errors },
        });

    public static IResult NotFound(string detail) =>
        Results.Problem(detail: detail, statusCode: StatusCodes.Status404NotFound, title: "Not found.");

    public static IResult Conflict(string detail) =>
        Results.Problem(detail: detail, statusCode: StatusCodes.Status409Conflict, title: "Conflict.");
}

/// <summary>Turns the exceptions that mean "bad request" or "conflict" into problem details; anything else is a 500.</summary>
internal sealed class ProblemExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken ct)
    {
        var (status, title, detail) = exception switch
        {
            ConcurrencyException e => (StatusCodes.Status409Conflict, "Conflict.", e.Message),
            BadHttpRequestException e => (e.StatusCode, e.StatusCode == StatusCodes.Status413PayloadTooLarge
                ? "The request body is too large." : "The request could not be read.", e.Message),
            JsonException e => (StatusCodes.Status400BadRequest, "The request body is not valid JSON.", e.Message),
            _ => (StatusCodes.Status500InternalServerError, "An unexpected error occurred.", (string?)null),
        };
        context.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            Exception = exception,
            ProblemDetails = new ProblemDetails { Status = status, Title = title, Detail = detail },
        });
    }
}

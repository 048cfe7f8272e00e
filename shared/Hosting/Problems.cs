using System.Text.Json;
using System.Text.RegularExpressions;
using Icp.EventStore;
using Icp.Hosting.Intake;
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

    /// <summary>413: the body is longer than <paramref name="maxBytes"/>; nothing was read past it, nothing stored.</summary>
    public static IResult TooLarge(long maxBytes) =>
        Results.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "The request body is too large.",
            detail: $"A request may be at most {maxBytes:N0} bytes; split it into several submissions. Nothing was stored.");

    /// <summary>403: the caller is known but may not do this; <paramref name="errors"/> names the rows or fields at fault.</summary>
    public static IResult Forbidden(string detail, IReadOnlyList<ValidationError>? errors = null)
    {
        var problem = new ProblemDetails { Status = StatusCodes.Status403Forbidden, Title = "Forbidden.", Detail = detail };
        if (errors is { Count: > 0 }) problem.Extensions["errors"] = errors;
        return Results.Problem(problem);
    }

    public static IResult NotFound(string detail) =>
        Results.Problem(detail: detail, statusCode: StatusCodes.Status404NotFound, title: "Not found.");

    public static IResult Conflict(string detail) =>
        Results.Problem(detail: detail, statusCode: StatusCodes.Status409Conflict, title: "Conflict.");
}

/// <summary>
/// Turns the exceptions that mean "bad request" or "conflict" into problem details; anything else is a 500. A body or
/// parameter the framework could not bind answers like validation does (an <c>errors</c> array naming the field),
/// never with the framework's own message, which names .NET types and quotes the value.
/// </summary>
internal sealed partial class ProblemExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken ct)
    {
        if (BindingErrors(exception) is { } errors)
        {
            await Problems.Validation(errors).ExecuteAsync(context);
            return true;
        }
        var (status, title, detail) = exception switch
        {
            ConcurrencyException e => (StatusCodes.Status409Conflict, "Conflict.", e.Message),
            Security.UnitDirectoryUnavailableException => (StatusCodes.Status503ServiceUnavailable, "Service unavailable.",
                "Which units are yours cannot be checked just now; nothing was read or stored. Try again shortly."),
            BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } => (StatusCodes.Status413PayloadTooLarge,
                "The request body is too large.", "Split it into several submissions. Nothing was stored."),
            BadHttpRequestException e => (e.StatusCode, "The request could not be read.", (string?)null),
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

    private static List<ValidationError>? BindingErrors(Exception exception)
    {
        if (exception is JsonException json) return [JsonIntake.ToError(json)];
        if (exception is not BadHttpRequestException { StatusCode: StatusCodes.Status400BadRequest } bad) return null;
        if (bad.InnerException is JsonException inner) return [JsonIntake.ToError(inner)];
        if (bad.Message.Contains("body", StringComparison.OrdinalIgnoreCase) && !bad.Message.StartsWith("Failed to bind", StringComparison.Ordinal))
            return [new(null, "body", "A JSON body is required.")];
        if (Parameter().Match(bad.Message) is { Success: true } m)
            return [new(null, m.Groups["name"].Value, bad.Message.StartsWith("Required", StringComparison.Ordinal) ? "Required." : "Not a valid value.")];
        return null;
    }

    // 'Failed to bind parameter "int? limit" from "abc".', 'Required parameter "string source" was not provided from query string.'
    [GeneratedRegex("parameter \"[^\" ]+ (?<name>[A-Za-z0-9_]+)\"")]
    private static partial Regex Parameter();
}

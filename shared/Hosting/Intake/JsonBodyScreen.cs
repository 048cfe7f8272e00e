using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Icp.Hosting.Intake;

/// <summary>
/// Screens every JSON request body with <see cref="JsonIntake.Scan"/> before an endpoint sees it: a body with any
/// problem is answered 400 with all of them, and nothing runs. The body is read once, up to the server's body size
/// limit, and handed on from memory.
/// </summary>
public sealed class JsonBodyScreen(RequestDelegate next)
{
    private const long DefaultMaxBytes = 64L * 1024 * 1024;

    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (!HasJsonBody(request))
        {
            await next(context);
            return;
        }
        var maxBytes = context.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize ?? DefaultMaxBytes;
        var body = await RequestBody.ReadAsync(request, maxBytes, context.RequestAborted);
        if (body is null)
        {
            await Problems.TooLarge(maxBytes).ExecuteAsync(context);
            return;
        }
        // No body at all (a POST of an action) is the endpoint's to judge.
        var errors = body.Length == 0 ? [] : JsonIntake.Scan(body);
        if (errors.Count > 0)
        {
            await Problems.Validation(errors).ExecuteAsync(context);
            return;
        }
        request.Body = new MemoryStream(body, writable: false);
        request.ContentLength = body.Length;
        await next(context);
    }

    private static bool HasJsonBody(HttpRequest request) =>
        (HttpMethods.IsPost(request.Method) || HttpMethods.IsPut(request.Method) || HttpMethods.IsPatch(request.Method))
        && request.ContentLength is not 0
        && (request.ContentType is null || Uploads.IsJson(request));
}

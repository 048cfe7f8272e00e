using System.Text.Json;
using Icp.Hosting;
using Icp.Hosting.Messaging;
using Icp.Referrals;
using Icp.Referrals.Domain;

var builder = WebApplication.CreateBuilder(args);
builder.AddIcpServiceDefaults(new ServiceInfo("referrals")).AddIcpEventStore();
builder.AddIcpMessaging(relayOutbox: true);
builder.Services.AddSingleton<ISchemaSetup, ReferralsSchema>();
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton<ReferralService>();
builder.Services.AddSingleton<ReferralQueries>();
builder.Services.AddSingleton<SingleStep>();
builder.Services.AddOpenApi();
var maxBodyBytes = builder.Configuration.GetValue("Referrals:MaxBodyBytes", 32L * 1024 * 1024);
builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = maxBodyBytes + 1);

var app = builder.Build();
app.MapIcpDefaults();
app.MapOutboxAdmin();
app.MapOpenApi("/openapi/{documentName}.json");

var api = app.MapGroup("/api/v1/referrals");

api.MapPost("", (ReferralStepRequest request, string? source, SingleStep handler, CancellationToken ct) =>
    handler.ApplyAsync(request.ReferralId, Steps.Received, request, source, ct));
api.MapPost("/{referralId}/triage", (string referralId, ReferralStepRequest request, string? source, SingleStep handler, CancellationToken ct) =>
    handler.ApplyAsync(referralId, Steps.Triaged, request, source, ct));
api.MapPost("/{referralId}/assessment", (string referralId, ReferralStepRequest request, string? source, SingleStep handler, CancellationToken ct) =>
    handler.ApplyAsync(referralId, Steps.Assessed, request, source, ct));
api.MapPost("/{referralId}/service-start", (string referralId, ReferralStepRequest request, string? source, SingleStep handler, CancellationToken ct) =>
    handler.ApplyAsync(referralId, Steps.ServiceStarted, request, source, ct));
api.MapPost("/{referralId}/discharge", (string referralId, ReferralStepRequest request, string? source, SingleStep handler, CancellationToken ct) =>
    handler.ApplyAsync(referralId, Steps.Discharged, request, source, ct));

api.MapPost("/bulk", async (HttpRequest http, string? source, string? submissionId, ReferralService service, TimeProvider clock, CancellationToken ct) =>
{
    var body = await RequestBody.ReadAsync(http, maxBodyBytes, ct);
    if (body is null)
        return Results.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "The request body is too large.",
            detail: $"A submission may be at most {maxBodyBytes:N0} bytes; split it. Nothing was stored.");
    ReferralBulkRequest request;
    var errors = new List<ValidationError>();
    if (http.ContentType?.StartsWith("text/csv", StringComparison.OrdinalIgnoreCase) == true)
    {
        var (rows, parseErrors) = ReferralCsv.Parse(System.Text.Encoding.UTF8.GetString(body));
        request = new ReferralBulkRequest(submissionId, source, rows);
        errors.AddRange(parseErrors);
    }
    else
    {
        try
        {
            request = JsonSerializer.Deserialize<ReferralBulkRequest>(body, ServiceDefaults.Json) ?? new ReferralBulkRequest(null, null, null);
        }
        catch (JsonException e)
        {
            return Problems.Validation([new ValidationError(null, "body", $"Not valid JSON: {e.Message}")]);
        }
    }
    return await BulkSubmission.ApplyAsync(request, errors, service, clock, ct);
})
.Accepts<ReferralBulkRequest>("application/json", "text/csv")
.Produces<BulkAccepted>(StatusCodes.Status202Accepted)
.ProducesValidationProblem();

api.MapGet("", (string? unitId, string? stage, DateOnly? from, DateOnly? to, int? limit, ReferralQueries queries, CancellationToken ct) =>
    queries.ListAsync(unitId, stage, from, to, Math.Clamp(limit ?? 1000, 1, 10_000), ct));
api.MapGet("/submissions/{submissionId}", async (string submissionId, ReferralQueries queries, CancellationToken ct) =>
    await queries.GetSubmissionAsync(submissionId, ct) is { } submission
        ? Results.Ok(submission)
        : Problems.NotFound($"No accepted submission '{submissionId}' (a rejected submission stores nothing)."));
api.MapGet("/{referralId}", async (string referralId, ReferralQueries queries, CancellationToken ct) =>
    await queries.GetAsync(referralId, ct) is { } referral ? Results.Ok(referral) : Problems.NotFound($"No referral '{referralId}'."));

app.Run();

/// <summary>Marks this assembly for test hosts that load several services.</summary>
public sealed class ReferralsApiMarker;

public partial class Program;

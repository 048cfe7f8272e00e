using System.Security.Cryptography;
using System.Text;
using Icp.CaseStudies.Domain;
using Icp.Hosting;
using Icp.Hosting.Intake;
using Icp.Hosting.Security;
using Icp.Privacy;
using Microsoft.AspNetCore.Mvc;

namespace Icp.CaseStudies;

public sealed record ValidateRequest(string? ValidatedBy);

public sealed record WithdrawRequest(string? Reason);

/// <summary>The same HTTP surface for every kind of record: create, write a draft, read, list and the workflow steps.</summary>
public static class CaseRecordEndpoints
{
    public const string IdempotencyHeader = "Idempotency-Key";

    public static RouteGroupBuilder MapCaseRecords<TRequest>(this RouteGroupBuilder api, string segment, string idField)
        where TRequest : class, ICaseRecordRequest
    {
        var kind = TRequest.Kind;
        var group = api.MapGroup($"/{segment}").WithTags(segment)
            .RequireScope(Scopes.CaseStudiesWrite, Scopes.ReadSensitive, Scopes.ConsentManage);

        group.MapPost("", async (HttpContext http, CaseRecordService service, CancellationToken ct) =>
        {
            var request = await ReadAsync<TRequest>(http, ct);
            if (request is null) return EmptyBody();
            if (Check(request, service.Today) is { } problem) return problem;
            if (await OutsideScopeAsync(http, request) is { } outside) return outside;
            var key = http.Request.Headers[IdempotencyHeader].FirstOrDefault();
            if (key is { Length: > 200 }) return Problems.Validation([new(null, IdempotencyHeader, "At most 200 characters.")]);
            var recordId = string.IsNullOrEmpty(key) ? CaseRecordService.NewRecordId(kind) : CaseRecordService.RecordIdFor(kind, key);
            var result = await service.WriteAsync(kind, recordId, request.ToDraft(), ct, createOnly: true);
            return result.Outcome switch
            {
                WriteOutcome.Created or WriteOutcome.Unchanged => Results.Created($"/api/v1/{segment}/{recordId}",
                    new Dictionary<string, object?> { [idField] = recordId, ["recordId"] = recordId, ["status"] = result.State!.Status }),
                _ => Problems.Conflict($"The {IdempotencyHeader} was already used for a different request. {result.Reason}"),
            };
        }).Accepts<TRequest>("application/json").WithSummary($"Create a {kind} as a draft").RequireScope(Scopes.CaseStudiesWrite);

        group.MapPut("/{recordId}", async (string recordId, HttpContext http, CaseRecordService service, CancellationToken ct) =>
        {
            var request = await ReadAsync<TRequest>(http, ct);
            if (request is null) return EmptyBody();
            if (!Ids.IsValid(recordId)) return Problems.Validation([new(null, idField, Ids.Rule)]);
            if (Check(request, service.Today) is { } problem) return problem;
            if (await RefusalAsync(http, service, kind, recordId, RecordAccess.IsAuthor, "Only the record's author revises it.", ct)
                is { } refusal) return refusal;
            if (await OutsideScopeAsync(http, request) is { } outside) return outside;
            var result = await service.WriteAsync(kind, recordId, request.ToDraft(), ct);
            if (result.Outcome == WriteOutcome.Refused) return Problems.Conflict(result.Reason!);
            var view = CaseRecordService.View(result.State!, await service.ReadNarrativeAsync(result.State!, ct), idField);
            return result.Outcome == WriteOutcome.Created ? Results.Created($"/api/v1/{segment}/{recordId}", view) : Results.Ok(view);
        }).Accepts<TRequest>("application/json").WithSummary($"Create a {kind} with the caller's id, or revise its draft")
            .RequireScope(Scopes.CaseStudiesWrite);

        group.MapGet("/{recordId}", async (string recordId, HttpContext http, CaseRecordService service, CancellationToken ct) =>
            await service.LoadAsync(recordId, ct) is { } state && state.Kind == kind
                && await MayReadAsync(http, state, await service.AuthorAsync(recordId, ct))
                ? Results.Ok(CaseRecordService.View(state, await service.ReadNarrativeAsync(state, ct), idField))
                : Problems.NotFound($"No such {kind}."))
            .WithSummary($"Read a {kind} (a withdrawn one shows only id, role, month and status)").AuditRead("narrative");

        group.MapGet("", async (string? status, HttpContext http, CaseRecordService service, CancellationToken ct) =>
        {
            var (records, scope) = (await service.ListAsync(kind, status, ct), await http.UnitScopeAsync());
            return Results.Ok(records.Where(r => RecordAccess.MayRead(http.Caller(), scope, r.UnitIds, r.Status, r.Author)));
        })
            .WithSummary($"List the {kind} records the caller may see (clear fields only), optionally by status");

        group.MapPost("/{recordId}/send-for-validation", async (string recordId, HttpContext http, CaseRecordService service,
                CancellationToken ct) =>
            await RefusalAsync(http, service, kind, recordId, RecordAccess.IsAuthor, "Only the record's author sends it for validation.", ct)
                ?? await Transition(service, kind, recordId, idField, s => Workflow.SendForValidation(s, Now(service)), ct))
            .RequireScope(Scopes.CaseStudiesWrite);

        group.MapPost("/{recordId}/validate", async (string recordId, ValidateRequest request, HttpContext http, CaseRecordService service,
            CancellationToken ct) =>
        {
            if (await HiddenAsync(http, service, kind, recordId, ct) is { } hidden) return hidden;
            var errors = new List<ValidationError>();
            if (string.IsNullOrWhiteSpace(request.ValidatedBy) || request.ValidatedBy.Length > 100)
                errors.Add(new(null, "validatedBy", "Say who validated the record and gave consent (1–100 characters)."));
            if (errors.Count > 0) return Problems.Validation(errors);
            var findings = IdentifyingDataScreen.Screen([("validatedBy", request.ValidatedBy)], service.Today);
            if (findings.Count > 0) return IdentifyingData(findings);
            return await Transition(service, kind, recordId, idField, s => Workflow.Validate(s, request.ValidatedBy!.Trim(), Now(service)), ct);
        }).WithSummary("Record the storyteller's validation and consent (who and when)").RequireScope(Scopes.ConsentManage);

        group.MapPost("/{recordId}/publish", async (string recordId, HttpContext http, CaseRecordService service, CancellationToken ct) =>
            await HiddenAsync(http, service, kind, recordId, ct)
                ?? await Transition(service, kind, recordId, idField, s => Workflow.Publish(s, Now(service)), ct))
            .RequireScope(Scopes.ConsentManage);

        group.MapPost("/{recordId}/withdraw", async (string recordId, [FromBody] WithdrawRequest? request, HttpContext http,
            CaseRecordService service, CancellationToken ct) =>
        {
            if (request?.Reason is { } reason && !Workflow.WithdrawalReasons.Contains(reason))
                return Problems.Validation([new(null, "reason", $"Must be one of {string.Join(", ", Workflow.WithdrawalReasons)}.")]);
            return await RefusalAsync(http, service, kind, recordId, RecordAccess.MayWithdraw,
                       "Only the record's author or a consent manager withdraws it.", ct)
                ?? await Transition(service, kind, recordId, idField, s => Workflow.Withdraw(s, request?.Reason, Now(service)), ct);
        }).WithSummary("Consent withdrawn: destroy the narrative's key; the record's existence stays")
            .RequireScope(Scopes.CaseStudiesWrite, Scopes.ConsentManage);

        return api;
    }

    private static DateTimeOffset Now(CaseRecordService service) => service.Now;

    /// <summary>Null when the caller may go on (or the record does not exist: the operation answers that); 404 when the
    /// caller may not even see the record; 403 when they see it but <paramref name="may"/> says no.</summary>
    private static async Task<IResult?> RefusalAsync(HttpContext http, CaseRecordService service, string kind, string recordId,
        Func<Caller, string?, bool> may, string refusal, CancellationToken ct)
    {
        if (await service.LoadAsync(recordId, ct) is not { } state || state.Kind != kind) return null;
        var author = await service.AuthorAsync(recordId, ct);
        if (!await MayReadAsync(http, state, author)) return Problems.NotFound($"No such {kind}.");
        return may(http.Caller(), author) ? null : Problems.Forbidden(refusal);
    }

    /// <summary>Null when the caller may see the record (or it does not exist: the operation answers that); 404 when not.</summary>
    private static Task<IResult?> HiddenAsync(HttpContext http, CaseRecordService service, string kind, string recordId, CancellationToken ct) =>
        RefusalAsync(http, service, kind, recordId, (_, _) => true, "", ct);

    private static async Task<bool> MayReadAsync(HttpContext http, RecordState state, string? author) =>
        RecordAccess.MayRead(http.Caller(), await http.UnitScopeAsync(state.Draft.UnitIds), state.Draft.UnitIds, state.Status, author);

    // A record may name units of the caller's own systems only (an unknown unit is answered the same way).
    private static async Task<IResult?> OutsideScopeAsync(HttpContext http, ICaseRecordRequest request)
    {
        var units = request.ToDraft().UnitIds;
        return (await http.UnitScopeAsync(units)).IncludesAll(units)
            ? null
            : Problems.Validation([new(null, "unitIds", "Name units of your own systems only.")]);
    }

    // Read by hand rather than bound by parameter: the route analyser cannot handle a generic body type. Strict as every
    // body is (unknown fields refused); what the serializer refuses reaches the problem handler as the errors array.
    private static async Task<T?> ReadAsync<T>(HttpContext http, CancellationToken ct) where T : class
    {
        if (http.Request.ContentLength == 0) return null;
        if (!http.Request.HasJsonContentType())
            throw new BadHttpRequestException("Send the record as application/json.", StatusCodes.Status415UnsupportedMediaType);
        return await http.Request.ReadFromJsonAsync<T>(JsonIntake.Options, ct);
    }

    private static IResult EmptyBody() => Problems.Validation([new(null, "body", "A JSON body is required.")]);

    private static IResult? Check(ICaseRecordRequest request, DateOnly today)
    {
        var errors = request.Validate(today);
        if (errors.Count > 0) return Problems.Validation(errors);
        var findings = IdentifyingDataScreen.Screen(request.FreeText(), today);
        return findings.Count > 0 ? IdentifyingData(findings) : null;
    }

    /// <summary>422: the spans of identifying data, never the text itself (it must not travel further, not even in logs).</summary>
    public static IResult IdentifyingData(List<Finding> findings) =>
        Results.Problem(new ProblemDetails
        {
            Status = StatusCodes.Status422UnprocessableEntity,
            Title = "The text contains identifying data.",
            Detail = $"{findings.Count} span(s) look like identifying data; remove them and send again. Nothing was stored.",
            Type = "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.21",
            Extensions = { ["errors"] = findings },
        });

    private static async Task<IResult> Transition(CaseRecordService service, string kind, string recordId, string idField,
        Func<RecordState, Decision> decide, CancellationToken ct)
    {
        var result = await service.TransitionAsync(kind, recordId, decide, ct);
        return result.Outcome switch
        {
            TransitionOutcome.NotFound => Problems.NotFound($"No such {kind}."),
            TransitionOutcome.Refused => Problems.Conflict(result.Reason!),
            _ => Results.Ok(CaseRecordService.View(result.State!, await service.ReadNarrativeAsync(result.State!, ct), idField)),
        };
    }

    /// <summary>
    /// The one way a published narrative's key leaves this service: to the projection service, which needs it to
    /// decrypt the ciphertext it already holds. Not routed by the gateway; the caller presents the service secret
    /// (<see cref="ServiceSecret"/>). Answers 410 once consent is withdrawn: the key no longer exists.
    /// </summary>
    public static IEndpointRouteBuilder MapNarrativeKeyEndpoint(this IEndpointRouteBuilder app)
    {
        app.MapGet("/internal/v1/narrative-keys/{recordId}", async (string recordId, CaseRecordService service,
            CancellationToken ct) =>
        {
            var state = await service.LoadAsync(recordId, ct);
            if (state is null) return Problems.NotFound($"No record {Text.Echo(recordId)}.");
            if (state.IsWithdrawn)
                return Results.Problem(statusCode: StatusCodes.Status410Gone, title: "Gone.", detail: "Consent was withdrawn; the key is destroyed.");
            if (state.Status != RecordStatus.Published) return Problems.NotFound($"Record {Text.Echo(recordId)} is not published.");
            if (await service.LoadKeyAsync(recordId, ct) is not { } key)
                return Results.Problem(statusCode: StatusCodes.Status410Gone, title: "Gone.", detail: "The key is destroyed.");
            return Results.Ok(new { recordId, algorithm = Icp.Contracts.CaseStudies.NarrativeCipher.Algorithm, key = Convert.ToBase64String(key) });
        }).RequireServiceSecret().ExcludeFromDescription();
        return app;
    }
}

using System.Text;
using System.Text.Json;
using Icp.Contracts.Surveys;
using Icp.Hosting;
using Icp.Hosting.Intake;
using Icp.Hosting.Security;
using Icp.Surveys.Domain;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Icp.Surveys;

/// <summary>Instrument templates and instruments, waves, responses (JSON or CSV) and the coding of free-text answers.</summary>
public static class SurveyEndpoints
{
    public const long MaxBodyBytes = 64 * 1024 * 1024;

    public static WebApplicationBuilder AddSurveys(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<SurveyService>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = MaxBodyBytes);
        return builder;
    }

    public static RouteGroupBuilder MapSurveys(this RouteGroupBuilder api)
    {
        var readers = api.MapGroup("").RequireScope(Scopes.ReadAggregate, Scopes.SurveysWrite);
        var setUp = api.MapGroup("").RequireScope(Scopes.SurveysWrite, Scopes.Admin);
        readers.MapGet("/instrument-templates", () => Templates.All)
            .WithSummary("The built-in instruments (INT staff survey, Partnership Assessment Tool) as editable starting points.");
        readers.MapGet("/instrument-templates/{templateId}", (string templateId) =>
            Templates.Find(templateId) is { } template ? Results.Ok(template) : Problems.NotFound("No such template."));

        setUp.MapPut("/instruments/{instrumentId}", SaveInstrumentAsync)
            .WithSummary("Create or update an instrument (questionnaire).")
            .Produces<InstrumentDefinedV1>(StatusCodes.Status200OK).Produces<InstrumentDefinedV1>(StatusCodes.Status201Created)
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict);
        setUp.MapPost("/instruments/{instrumentId}/from-template/{templateId}", FromTemplate)
            .WithSummary("Create an instrument from a built-in template (optionally ?name=...); edit it afterwards with PUT.");
        readers.MapGet("/instruments", (SurveyService surveys, CancellationToken ct) => surveys.ListInstrumentsAsync(ct));
        readers.MapGet("/instruments/{instrumentId}", async (string instrumentId, SurveyService surveys, CancellationToken ct) =>
                await surveys.GetInstrumentAsync(instrumentId, ct) is { } instrument ? Results.Ok(instrument) : Problems.NotFound("No such instrument."))
            .Produces<InstrumentDefinedV1>();

        setUp.MapPut("/waves/{waveId}", SaveWave).RequireWaveInScope()
            .WithSummary("Create or update a wave: an instrument administered to a population in a month (status open | closed).")
            .Produces<WaveView>(StatusCodes.Status200OK).Produces<WaveView>(StatusCodes.Status201Created).ProducesValidationProblem();
        readers.MapGet("/waves", async (string? instrumentId, HttpContext http, SurveyService surveys, CancellationToken ct) =>
        {
            var waves = await surveys.ListWavesAsync(instrumentId, ct);
            var scope = await http.UnitScopeAsync();
            return waves.Where(w => scope.IncludesAll(w.UnitIds)).ToList();
        });
        readers.MapGet("/waves/{waveId}", async (string waveId, SurveyService surveys, CancellationToken ct) =>
                await surveys.GetWaveAsync(waveId, ct) is { } wave ? Results.Ok(wave) : Problems.NotFound("No such wave."))
            .RequireWaveInScope().Produces<WaveView>();

        api.MapPost("/waves/{waveId}/responses", SubmitResponses)
            .RequireScope(Scopes.SurveysWrite).RequireWaveInScope()
            .WithSummary("Submit responses (JSON, or text/csv with ?submissionId=&source=&ignore=): all or nothing, idempotent on submissionId.")
            .Accepts<ResponseSubmissionRequest>("application/json", "text/csv")
            .Produces<ResponsesAccepted>(StatusCodes.Status202Accepted).ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        // The sender records a respondent's withdrawal, or whoever manages consent.
        api.MapPost("/waves/{waveId}/responses/{respondentId}/withdraw", Withdraw)
            .RequireScope(Scopes.SurveysWrite, Scopes.ConsentManage).RequireWaveInScope()
            .WithSummary("A respondent withdraws: the response leaves every analysis and its free text becomes unrecoverable.")
            .ProducesProblem(StatusCodes.Status404NotFound);

        // Coding reads the free text, so it needs what reading it needs.
        api.MapPut("/waves/{waveId}/comments/{respondentId}/{itemId}/coding", CodeComment)
            .RequireScope(Scopes.ReadSensitive).RequireWaveInScope()
            .WithSummary("Code a free-text answer with themes and a sentiment (positive | neutral | negative); the newest coding counts.")
            .Produces<SurveyCommentCodedV1>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    private static async Task<IResult> SaveInstrumentAsync(string instrumentId, InstrumentRequest request, SurveyService surveys,
        CancellationToken ct)
    {
        var (instrument, errors) = InstrumentValidation.Validate(instrumentId, request);
        if (instrument is null) return Problems.Validation(errors);
        var result = await surveys.SaveInstrumentAsync(instrument, ct);
        if (result.Outcome == SaveOutcome.Conflict)
            return Problems.Conflict("The instrument has responses: " + string.Join(" ", result.Conflicts));
        var saved = await surveys.GetInstrumentAsync(instrumentId, ct);
        return result.Outcome == SaveOutcome.Created ? Results.Created($"/api/v1/instruments/{instrumentId}", saved) : Results.Ok(saved);
    }

    private static async Task<IResult> FromTemplate(string instrumentId, string templateId, string? name, SurveyService surveys,
        CancellationToken ct)
    {
        if (Templates.Find(templateId) is not { } template) return Problems.NotFound("No such template.");
        var request = name is null ? template.Instrument : template.Instrument with { Name = name };
        return await SaveInstrumentAsync(instrumentId, request, surveys, ct);
    }

    /// <summary>
    /// 404 for a wave with a unit outside the caller's systems, as if it did not exist: a wave that spans systems is
    /// seen by callers of all of them.
    /// </summary>
    private static RouteHandlerBuilder RequireWaveInScope(this RouteHandlerBuilder builder) =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            if (http.Caller().SeesAllSystems || http.Request.RouteValues["waveId"] is not string waveId) return await next(context);
            var wave = await http.RequestServices.GetRequiredService<SurveyService>().GetWaveAsync(waveId, http.RequestAborted);
            return wave is null || (await http.UnitScopeAsync(wave.UnitIds)).IncludesAll(wave.UnitIds)
                ? await next(context)
                : Problems.NotFound("No such wave.");
        });

    private static async Task<IResult> SaveWave(string waveId, WaveRequest request, HttpContext http, SurveyService surveys,
        CancellationToken ct)
    {
        if (request.UnitIds is { } units && !(await http.UnitScopeAsync(units.OfType<string>())).IncludesAll(units.OfType<string>()))
            return Problems.Validation([new(null, "unitIds", "Name units of your own systems only.")]);
        var (outcome, errors) = await surveys.SaveWaveAsync(waveId, request, ct);
        if (errors.Count > 0) return Problems.Validation(errors);
        var wave = await surveys.GetWaveAsync(waveId, ct);
        return outcome == SaveOutcome.Created ? Results.Created($"/api/v1/waves/{waveId}", wave) : Results.Ok(wave);
    }

    private static async Task<IResult> SubmitResponses(string waveId, HttpRequest http, SurveyService surveys, CancellationToken ct)
    {
        if (await surveys.GetWaveAsync(waveId, ct) is null) return Problems.NotFound("No such wave.");
        var body = await RequestBody.ReadAsync(http, MaxBodyBytes, ct);
        if (body is null) return Problems.TooLarge(MaxBodyBytes);
        Func<WaveState, (ResponseSubmissionRequest?, List<ValidationError>)> read;
        if (Uploads.IsCsv(http))
        {
            var csv = Encoding.UTF8.GetString(body);
            var ignore = http.Query["ignore"].SelectMany(v => (v ?? "").Split(',', StringSplitOptions.TrimEntries)).ToList();
            var (source, refusal) = http.HttpContext.Caller().SourceFor(http.Query["source"].FirstOrDefault());
            if (refusal is not null) return Problems.Forbidden(refusal);
            read = state => ResponseCsv.Parse(csv, http.Query["submissionId"], source, state.Instrument, ignore);
        }
        else if (Uploads.IsJson(http))
        {
            ResponseSubmissionRequest? request;
            try
            {
                request = body.Length == 0 ? null : JsonSerializer.Deserialize<ResponseSubmissionRequest>(body, JsonIntake.Options);
            }
            catch (JsonException e)
            {
                return Problems.Validation([JsonIntake.ToError(e)]);
            }
            var (source, refusal) = http.HttpContext.Caller().SourceFor(request?.Source);
            if (refusal is not null) return Problems.Forbidden(refusal);
            request = request is null ? null : request with { Source = source };
            read = _ => request is null ? (null, [new ValidationError(null, "body", "A JSON submission is required.")]) : (request, []);
        }
        else
        {
            return Uploads.UnsupportedMediaType("responses");
        }
        var result = await surveys.SubmitResponsesAsync(waveId, read, ct);
        if (result.Conflict is { } conflict) return Problems.Conflict(conflict);
        return result.Accepted is { } accepted ? Results.Accepted(value: accepted) : Problems.Validation(result.Errors);
    }

    private static async Task<IResult> Withdraw(string waveId, string respondentId, SurveyService surveys, CancellationToken ct)
    {
        var (outcome, withdrawnAt) = await surveys.WithdrawResponseAsync(waveId, respondentId, ct);
        return outcome == WithdrawalOutcome.NotFound
            ? Problems.NotFound("No response of that respondent in that wave.")
            : Results.Ok(new { waveId, respondentId, status = "withdrawn", withdrawnAt });
    }

    public sealed record ResponseRef(string WaveId, string RespondentId);

    public sealed record ResponseKeysRequest(List<ResponseRef>? Responses);

    /// <summary>
    /// The one way a response's key leaves this service: to the projection service, to open the sealed free text it
    /// already holds. Not routed by the gateway; the caller presents the service secret (<see cref="ServiceSecret"/>).
    /// A withdrawn response has no key any more, and is simply absent from the answer.
    /// </summary>
    public static IEndpointRouteBuilder MapResponseKeyEndpoint(this IEndpointRouteBuilder app)
    {
        app.MapPost("/internal/v1/response-keys", async (ResponseKeysRequest request, SurveyService surveys,
            CancellationToken ct) =>
        {
            var asked = (request.Responses ?? []).Take(1000).Select(r => (r.WaveId, r.RespondentId)).ToList();
            var keys = await surveys.ResponseKeysAsync(asked, ct);
            return Results.Ok(new
            {
                keys = keys.Select(k => new { waveId = k.WaveId, respondentId = k.RespondentId, key = Convert.ToBase64String(k.Key) }),
            });
        }).RequireServiceSecret().ExcludeFromDescription();
        return app;
    }

    private static async Task<IResult> CodeComment(string waveId, string respondentId, string itemId, CommentCodingRequest request,
        SurveyService surveys, CancellationToken ct)
    {
        var (themes, errors) = CommentCodingValidation.Validate(request);
        if (errors.Count > 0) return Problems.Validation(errors);
        if (!await surveys.CommentExistsAsync(waveId, respondentId, itemId, ct))
            return Problems.NotFound("That respondent gave no free-text answer to that item in that wave.");
        var coding = new SurveyCommentCodedV1(waveId, respondentId, itemId, themes, request.Sentiment!, request.CodedBy?.Trim());
        await surveys.CodeCommentAsync(coding, ct);
        return Results.Ok(coding);
    }
}

using System.Text;
using System.Text.Json;
using Icp.Contracts.Surveys;
using Icp.Hosting;
using Icp.Hosting.Messaging;
using Icp.Surveys;
using Icp.Surveys.Domain;

var builder = WebApplication.CreateBuilder(args);
builder.AddIcpServiceDefaults(new ServiceInfo("surveys")).AddIcpEventStore();
builder.AddIcpMessaging(relayOutbox: true);
builder.Services.AddSingleton<ISchemaSetup, SurveysSchema>();
builder.Services.AddSingleton<SurveyService>();
builder.Services.AddOpenApi();
builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = 64 * 1024 * 1024);

var app = builder.Build();
app.MapIcpDefaults();
app.MapOutboxAdmin();
app.MapOpenApi("/openapi/{documentName}.json");

var api = app.MapGroup("/api/v1");

// ---- instrument templates and instruments

api.MapGet("/instrument-templates", () => Templates.All)
    .WithSummary("The built-in instruments (INT staff survey, Partnership Assessment Tool) as editable starting points.");
api.MapGet("/instrument-templates/{templateId}", (string templateId) =>
    Templates.Find(templateId) is { } template ? Results.Ok(template) : Problems.NotFound($"No template '{templateId}'."));

api.MapPut("/instruments/{instrumentId}", (string instrumentId, InstrumentRequest request, SurveyService surveys, CancellationToken ct) =>
        SaveInstrumentAsync(instrumentId, request, surveys, ct))
    .WithSummary("Create or update an instrument (questionnaire).")
    .Produces<InstrumentDefinedV1>(StatusCodes.Status200OK).Produces<InstrumentDefinedV1>(StatusCodes.Status201Created)
    .ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict);
api.MapPost("/instruments/{instrumentId}/from-template/{templateId}", async (string instrumentId, string templateId, string? name,
        SurveyService surveys, CancellationToken ct) =>
    {
        if (Templates.Find(templateId) is not { } template) return Problems.NotFound($"No template '{templateId}'.");
        var request = name is null ? template.Instrument : template.Instrument with { Name = name };
        return await SaveInstrumentAsync(instrumentId, request, surveys, ct);
    })
    .WithSummary("Create an instrument from a built-in template (optionally ?name=...); edit it afterwards with PUT.");
api.MapGet("/instruments", (SurveyService surveys, CancellationToken ct) => surveys.ListInstrumentsAsync(ct));
api.MapGet("/instruments/{instrumentId}", async (string instrumentId, SurveyService surveys, CancellationToken ct) =>
        await surveys.GetInstrumentAsync(instrumentId, ct) is { } instrument ? Results.Ok(instrument) : Problems.NotFound($"No instrument '{instrumentId}'."))
    .Produces<InstrumentDefinedV1>();

// ---- waves

api.MapPut("/waves/{waveId}", async (string waveId, WaveRequest request, SurveyService surveys, CancellationToken ct) =>
    {
        var (outcome, errors) = await surveys.SaveWaveAsync(waveId, request, ct);
        if (errors.Count > 0) return Problems.Validation(errors);
        var wave = await surveys.GetWaveAsync(waveId, ct);
        return outcome == SaveOutcome.Created ? Results.Created($"/api/v1/waves/{waveId}", wave) : Results.Ok(wave);
    })
    .WithSummary("Create or update a wave: an instrument administered to a population in a month (status open | closed).")
    .Produces<WaveView>(StatusCodes.Status200OK).Produces<WaveView>(StatusCodes.Status201Created).ProducesValidationProblem();
api.MapGet("/waves", (string? instrumentId, SurveyService surveys, CancellationToken ct) => surveys.ListWavesAsync(instrumentId, ct));
api.MapGet("/waves/{waveId}", async (string waveId, SurveyService surveys, CancellationToken ct) =>
        await surveys.GetWaveAsync(waveId, ct) is { } wave ? Results.Ok(wave) : Problems.NotFound($"No wave '{waveId}'."))
    .Produces<WaveView>();

api.MapPost("/waves/{waveId}/responses", async (string waveId, HttpRequest http, SurveyService surveys, CancellationToken ct) =>
    {
        if (await surveys.GetWaveAsync(waveId, ct) is null) return Problems.NotFound($"No wave '{waveId}'.");
        Func<WaveState, (ResponseSubmissionRequest?, List<ValidationError>)> read;
        if (http.ContentType?.StartsWith("text/csv", StringComparison.OrdinalIgnoreCase) == true)
        {
            using var body = new StreamReader(http.Body, Encoding.UTF8);
            var csv = await body.ReadToEndAsync(ct);
            var ignore = http.Query["ignore"].SelectMany(v => (v ?? "").Split(',', StringSplitOptions.TrimEntries)).ToList();
            read = state => ResponseCsv.Parse(csv, http.Query["submissionId"], http.Query["source"], state.Instrument, ignore);
        }
        else
        {
            var request = await JsonSerializer.DeserializeAsync<ResponseSubmissionRequest>(http.Body, ServiceDefaults.Json, ct);
            read = _ => request is null ? (null, [new ValidationError(null, "body", "A JSON submission is required.")]) : (request, []);
        }
        var result = await surveys.SubmitResponsesAsync(waveId, read, ct);
        if (result.Conflict is { } conflict) return Problems.Conflict(conflict);
        return result.Accepted is { } accepted ? Results.Accepted(value: accepted) : Problems.Validation(result.Errors);
    })
    .WithSummary("Submit responses (JSON, or text/csv with ?submissionId=&source=&ignore=): all or nothing, idempotent on submissionId.")
    .Accepts<ResponseSubmissionRequest>("application/json", "text/csv")
    .Produces<ResponsesAccepted>(StatusCodes.Status202Accepted).ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);

// ---- free-text coding

api.MapPut("/waves/{waveId}/comments/{respondentId}/{itemId}/coding", async (string waveId, string respondentId, string itemId,
        CommentCodingRequest request, SurveyService surveys, CancellationToken ct) =>
    {
        var (themes, errors) = CommentCodingValidation.Validate(request);
        if (errors.Count > 0) return Problems.Validation(errors);
        if (!await surveys.CommentExistsAsync(waveId, respondentId, itemId, ct))
            return Problems.NotFound($"Respondent '{respondentId}' gave no free-text answer to '{itemId}' in wave '{waveId}'.");
        var coding = new SurveyCommentCodedV1(waveId, respondentId, itemId, themes, request.Sentiment!, request.CodedBy?.Trim());
        await surveys.CodeCommentAsync(coding, ct);
        return Results.Ok(coding);
    })
    .WithSummary("Code a free-text answer with themes and a sentiment (positive | neutral | negative); the newest coding counts.")
    .Produces<SurveyCommentCodedV1>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);

app.Run();

static async Task<IResult> SaveInstrumentAsync(string instrumentId, InstrumentRequest request, SurveyService surveys, CancellationToken ct)
{
    var (instrument, errors) = InstrumentValidation.Validate(instrumentId, request);
    if (instrument is null) return Problems.Validation(errors);
    var result = await surveys.SaveInstrumentAsync(instrument, ct);
    if (result.Outcome == SaveOutcome.Conflict)
        return Problems.Conflict("The instrument has responses: " + string.Join(" ", result.Conflicts));
    var saved = await surveys.GetInstrumentAsync(instrumentId, ct);
    return result.Outcome == SaveOutcome.Created ? Results.Created($"/api/v1/instruments/{instrumentId}", saved) : Results.Ok(saved);
}

public partial class Program;

namespace Icp.Surveys
{
    /// <summary>Names this assembly for test hosts (several services declare a global Program).</summary>
    public sealed class SurveysApiMarker;
}

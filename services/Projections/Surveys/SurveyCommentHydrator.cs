using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Icp.Contracts.CaseStudies;
using Icp.Contracts.Surveys;
using Icp.EventStore;
using Icp.Hosting;
using Npgsql;

namespace Icp.Projections.Surveys;

/// <summary>
/// Asks the surveys service for the keys of responses' sealed free text, many at once (configuration Surveys:BaseUrl,
/// and Surveys:KeyServiceSecret when that service requires one). Keys are used in memory and never stored; a withdrawn
/// response has none.
/// </summary>
public sealed class SurveyResponseKeyClient(HttpClient http, IConfiguration configuration)
{
    public async Task<Dictionary<(string WaveId, string RespondentId), byte[]>> GetAsync(
        IReadOnlyList<(string WaveId, string RespondentId)> responses, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "internal/v1/response-keys")
        {
            Content = JsonContent.Create(new { responses = responses.Select(r => new { waveId = r.WaveId, respondentId = r.RespondentId }) }),
        };
        if (configuration["Surveys:KeyServiceSecret"] is { Length: > 0 } secret) request.Headers.Add("X-Icp-Service-Secret", secret);
        using var response = await http.SendAsync(request, ct);
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonObject>(ct);
        return (body?["keys"]?.AsArray() ?? []).OfType<JsonObject>().ToDictionary(
            k => (k["waveId"]!.GetValue<string>(), k["respondentId"]!.GetValue<string>()),
            k => Convert.FromBase64String(k["key"]!.GetValue<string>()));
    }
}

/// <summary>
/// Opens the sealed free text of received responses into the survey read model, outside the projection runner's
/// transaction, so that a slow or absent surveys service never holds up the other read models. A response whose key
/// is gone (withdrawn) stays sealed until its withdrawal arrives and removes it; one whose text cannot be stored is
/// quarantined so that the others go on.
/// </summary>
public sealed partial class SurveyCommentHydrator(NpgsqlDataSource dataSource, SurveyResponseKeyClient keys, ProjectionRunner runner,
    ILogger<SurveyCommentHydrator> logger) : BackgroundService
{
    /// <summary>The quarantine's name for sealed comments that could not be stored.</summary>
    public const string ConsumerName = "survey-comments";

    private const int BatchSize = 200;
    private readonly SemaphoreSlim _wake = new(0, 1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        runner.Applied += _ => Wake();
        runner.Requeued += Wake;
        var idle = TimeSpan.FromSeconds(2);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var (opened, waiting) = await HydratePendingAsync(stoppingToken);
                idle = waiting > 0 && opened == 0 ? TimeSpan.FromSeconds(Math.Min(30, idle.TotalSeconds * 2)) : TimeSpan.FromSeconds(2);
                if (opened > 0) continue;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                LogHydrationFailed(e);
                idle = TimeSpan.FromSeconds(Math.Min(30, idle.TotalSeconds * 2));
            }
            try
            {
                await _wake.WaitAsync(idle, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    private void Wake()
    {
        if (_wake.CurrentCount == 0) _wake.Release();
    }

    /// <summary>Opens what is pending; returns how many responses were opened and how many still wait for a key.</summary>
    public async Task<(int Opened, int Waiting)> HydratePendingAsync(CancellationToken ct)
    {
        var pending = new List<(string WaveId, string RespondentId, EncryptedNarrative Sealed)>();
        await using (var command = dataSource.CreateCommand("""
            select wave_id, respondent_id, sealed_comments::text from rm_survey_responses r
            where sealed_comments is not null
              and not exists (select from quarantine q where q.consumer = $2 and q.item_id = r.wave_id || '/' || r.respondent_id)
            order by wave_id, respondent_id limit $1
            """))
        {
            command.Parameters.Add(new() { Value = BatchSize });
            command.Parameters.Add(new() { Value = ConsumerName });
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
                pending.Add((reader.GetString(0), reader.GetString(1),
                    JsonSerializer.Deserialize<EncryptedNarrative>(reader.GetString(2), ServiceDefaults.Json)!));
        }
        if (pending.Count == 0) return (0, 0);

        var found = await keys.GetAsync(pending.Select(p => (p.WaveId, p.RespondentId)).ToList(), ct);
        var opened = 0;
        foreach (var (waveId, respondentId, sealedText) in pending)
        {
            if (!found.TryGetValue((waveId, respondentId), out var key)) continue;
            try
            {
                var comments = NarrativeCipher.Decrypt(key, SurveyResponseKeys.Binding(waveId, respondentId), sealedText);
                opened += await StoreAsync(waveId, respondentId, comments, ct);
            }
            catch (CryptographicException)
            {
                // Not this response's ciphertext: it waits (and the quarantine is for what a retry cannot mend).
            }
            catch (Exception e) when (!ct.IsCancellationRequested && !Failures.IsTransient(e))
            {
                LogQuarantined(e, waveId);
                await using var connection = await dataSource.OpenConnectionAsync(ct);
                await Quarantine.AddAsync(connection, null, ConsumerName, $"{waveId}/{respondentId}", null, Quarantine.Describe(e), ct);
            }
            finally
            {
                CryptographicOperations.ZeroMemory(key);
            }
        }
        return (opened, pending.Count - opened);
    }

    // Only while the response is still there: a withdrawal applied meanwhile has removed the row.
    private async Task<int> StoreAsync(string waveId, string respondentId, string commentsJson, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("""
            update rm_survey_responses set data = jsonb_set(data, '{comments}', $3::jsonb), sealed_comments = null
            where wave_id = $1 and respondent_id = $2 and sealed_comments is not null
            """);
        command.Parameters.Add(new() { Value = waveId });
        command.Parameters.Add(new() { Value = respondentId });
        command.Parameters.Add(new() { Value = commentsJson });
        return await command.ExecuteNonQueryAsync(ct);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Sealed comments of a response in wave {WaveId} quarantined: they cannot be stored")]
    private partial void LogQuarantined(Exception e, string waveId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Opening sealed survey comments failed; retrying")]
    private partial void LogHydrationFailed(Exception e);
}

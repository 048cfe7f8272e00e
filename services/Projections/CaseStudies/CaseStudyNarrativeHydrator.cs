using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Icp.Contracts.CaseStudies;
using Icp.EventStore;
using Icp.Hosting;
using Npgsql;

namespace Icp.Projections.CaseStudies;

public enum KeyAnswer { Key, Gone, NotAvailable }

/// <summary>
/// Asks the case studies service for a published record's data key (configuration CaseStudies:BaseUrl, and
/// CaseStudies:KeyServiceSecret when that service requires one). The key is used in memory and never stored.
/// </summary>
public sealed class NarrativeKeyClient(HttpClient http, IConfiguration configuration)
{
    public async Task<(KeyAnswer Answer, byte[]? Key)> GetAsync(string recordId, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"internal/v1/narrative-keys/{Uri.EscapeDataString(recordId)}");
        if (configuration["CaseStudies:KeyServiceSecret"] is { Length: > 0 } secret) request.Headers.Add("X-Icp-Service-Secret", secret);
        using var response = await http.SendAsync(request, ct);
        if (response.StatusCode == HttpStatusCode.Gone) return (KeyAnswer.Gone, null);
        if (!response.IsSuccessStatusCode) return (KeyAnswer.NotAvailable, null);
        var body = await response.Content.ReadFromJsonAsync<JsonObject>(ct);
        return body?["key"]?.GetValue<string>() is { } key ? (KeyAnswer.Key, Convert.FromBase64String(key)) : (KeyAnswer.NotAvailable, null);
    }
}

/// <summary>
/// Fills in the narrative of published records, outside the projection runner's transaction so that a slow or absent
/// case studies service never holds up the other read models. The update only lands while the row is still published
/// at the content version that was decrypted: if the withdrawal was applied first, nothing is written; if the
/// withdrawal comes after, it empties the row. Either way no plaintext survives a withdrawal.
/// </summary>
public sealed partial class CaseStudyNarrativeHydrator(NpgsqlDataSource dataSource, NarrativeKeyClient keys, ProjectionRunner runner,
    ILogger<CaseStudyNarrativeHydrator> logger) : BackgroundService
{
    /// <summary>The quarantine's name for narratives that could not be stored (e.g. text PostgreSQL refuses).</summary>
    public const string ConsumerName = "case-study-narratives";

    private const int BatchSize = 100;

    private static string QuarantineKey(string recordId, long version) => $"{recordId}@{version}";
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
                var (hydrated, waiting) = await HydratePendingAsync(stoppingToken);
                // Records whose key could not be had are tried again after a pause, not in a tight loop.
                idle = waiting > 0 && hydrated == 0 ? TimeSpan.FromSeconds(Math.Min(30, idle.TotalSeconds * 2)) : TimeSpan.FromSeconds(2);
                if (hydrated > 0 && waiting == 0) continue;
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
        try
        {
            if (_wake.CurrentCount == 0) _wake.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already awake.
        }
    }

    /// <summary>Decrypts what is pending; returns how many rows were filled in and how many still wait for a key.</summary>
    public async Task<(int Hydrated, int Waiting)> HydratePendingAsync(CancellationToken ct)
    {
        var pending = new List<(string RecordId, long Version, EncryptedNarrative Cipher)>();
        await using (var command = dataSource.CreateCommand("""
            select record_id, content_version, ciphertext::text from rm_case_records
            where status = 'published' and ciphertext is not null and narrative_version is distinct from content_version
              and not exists (select from quarantine q where q.consumer = $2 and q.item_id = record_id || '@' || content_version)
            order by record_id limit $1
            """))
        {
            command.Parameters.Add(new() { Value = BatchSize });
            command.Parameters.Add(new() { Value = ConsumerName });
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
                pending.Add((reader.GetString(0), reader.GetInt64(1),
                    JsonSerializer.Deserialize<EncryptedNarrative>(reader.GetString(2), ServiceDefaults.Json)!));
        }

        var hydrated = 0;
        var quarantined = 0;
        foreach (var (recordId, version, cipher) in pending)
        {
            var (answer, key) = await keys.GetAsync(recordId, ct);
            if (answer != KeyAnswer.Key) continue;
            string plaintext;
            try
            {
                plaintext = NarrativeCipher.Decrypt(key!, recordId, cipher);
            }
            catch (CryptographicException)
            {
                continue; // A newer draft with another ciphertext is on its way; try again then.
            }
            finally
            {
                CryptographicOperations.ZeroMemory(key);
            }
            try
            {
                var narrative = JsonSerializer.Deserialize<CaseRecordNarrative>(plaintext, ServiceDefaults.Json)
                    ?? throw new JsonException("The narrative is null.");
                hydrated += await StoreAsync(recordId, version, plaintext, narrative, ct);
            }
            catch (Exception e) when (!ct.IsCancellationRequested && !Failures.IsTransient(e))
            {
                // This record's narrative cannot be stored as it is: set it aside so the others are not held up.
                LogQuarantined(e, recordId, version);
                await using var connection = await dataSource.OpenConnectionAsync(ct);
                await Quarantine.AddAsync(connection, null, ConsumerName, QuarantineKey(recordId, version), null, Quarantine.Describe(e), ct);
                quarantined++;
            }
        }
        return (hydrated, pending.Count - hydrated - quarantined);
    }

    private async Task<int> StoreAsync(string recordId, long version, string plaintext, CaseRecordNarrative narrative, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("""
            update rm_case_records set narrative = $3::jsonb, narrative_version = $2, title = $4, tags = $5, themes = $6,
                risk_types = $7, search_text = $8
            where record_id = $1 and status = 'published' and content_version = $2
            """);
        command.Parameters.Add(new() { Value = recordId });
        command.Parameters.Add(new() { Value = version });
        command.Parameters.Add(new() { Value = plaintext });
        command.Parameters.Add(new() { Value = narrative.Title });
        command.Parameters.Add(new() { Value = narrative.Tags.ToArray() });
        command.Parameters.Add(new() { Value = (narrative.Realist?.Themes.Select(t => t.Name) ?? []).ToArray() });
        command.Parameters.Add(new() { Value = (narrative.CaseStudy?.SystemRisks.Select(r => r.Type).Distinct() ?? []).ToArray() });
        command.Parameters.Add(new() { Value = SearchText(plaintext) });
        return await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Every string in the narrative, one per line: what full-text search indexes.</summary>
    public static string SearchText(string narrativeJson)
    {
        var lines = new List<string>();
        void Walk(JsonNode? node)
        {
            switch (node)
            {
                case JsonObject o: foreach (var (_, v) in o) Walk(v); break;
                case JsonArray a: foreach (var v in a) Walk(v); break;
                case JsonValue v when v.TryGetValue<string>(out var s): lines.Add(s); break;
            }
        }
        Walk(JsonNode.Parse(narrativeJson));
        return string.Join('\n', lines);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Narrative of {RecordId} (version {Version}) quarantined: it cannot be stored")]
    private partial void LogQuarantined(Exception e, string recordId, long version);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Case study narrative hydration failed; retrying")]
    private partial void LogHydrationFailed(Exception e);
}

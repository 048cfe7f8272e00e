using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Icp.DemoData;

/// <summary>One part of the demo (indicators, referrals, surveys, stories), loaded through the public API.</summary>
public interface IDemoSection
{
    string Name { get; }
    Task LoadAsync(DemoClient client);
}

/// <summary>
/// The demo's callers. Each source system submits with its own client's token (client credentials at the identity
/// server, the secret from <c>ICP_CLIENT_&lt;ID&gt;_SECRET</c>, which deploy/demo-identity.sh writes into
/// .data/secrets.env), exactly as a real system would; only the reference data (units, indicator catalogue) is set up
/// by the operator with the admin key.
/// </summary>
public sealed class DemoClient(Uri gateway) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = gateway, Timeout = TimeSpan.FromMinutes(5) };
    private readonly Dictionary<string, DemoCaller> _callers = [];

    /// <summary>The operator (admin key): reference data only.</summary>
    public DemoCaller Administrator => _administrator ??= new DemoCaller(_http, "administrator", _ =>
        Task.FromResult<(string, string)>((AdminKeyHeader, Environment.GetEnvironmentVariable("ICP_ADMIN_API_KEY") is { Length: > 0 } key
            ? key : throw new InvalidOperationException("ICP_ADMIN_API_KEY is not set: source deploy/env.sh."))));
    private DemoCaller? _administrator;

    private const string AdminKeyHeader = "X-Api-Key";

    /// <summary>A demo client (deploy/demo-identity.sh) with a token for <paramref name="scopes"/>.</summary>
    public DemoCaller As(string clientId, params string[] scopes)
    {
        var key = $"{clientId} {string.Join(' ', scopes)}";
        if (!_callers.TryGetValue(key, out var caller))
        {
            var token = new ClientToken(_http, clientId, SecretOf(clientId), scopes);
            _callers[key] = caller = new DemoCaller(_http, clientId, async ct => ("Authorization", "Bearer " + await token.GetAsync(ct)));
        }
        return caller;
    }

    /// <summary>ICP_CLIENT_COMMUNITY_HEALTH_EPR_SECRET for community-health-epr (the name deploy/demo-identity.sh writes).</summary>
    public static string SecretVariable(string clientId) =>
        "ICP_CLIENT_" + clientId.ToUpperInvariant().Replace('-', '_').Replace('.', '_') + "_SECRET";

    private static string SecretOf(string clientId) =>
        Environment.GetEnvironmentVariable(SecretVariable(clientId)) is { Length: > 0 } secret ? secret
            : throw new InvalidOperationException($"{SecretVariable(clientId)} is not set: run deploy/demo-identity.sh, then source .data/secrets.env.");

    public void Dispose() => _http.Dispose();

    /// <summary>A client-credentials token, fetched again a minute before it expires.</summary>
    private sealed class ClientToken(HttpClient http, string clientId, string secret, string[] scopes)
    {
        private string? _token;
        private DateTimeOffset _renewAt;

        public async Task<string> GetAsync(CancellationToken ct)
        {
            if (_token is not null && DateTimeOffset.UtcNow < _renewAt) return _token;
            using var response = await http.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials", ["client_id"] = clientId, ["client_secret"] = secret,
                ["scope"] = string.Join(' ', scopes),
            }), ct);
            var body = await response.Content.ReadAsStringAsync(ct);
            if (!response.IsSuccessStatusCode)
                throw new InvalidOperationException($"The identity server refused a token to {clientId} ({(int)response.StatusCode}): {body}");
            using var json = JsonDocument.Parse(body);
            _token = json.RootElement.GetProperty("access_token").GetString()!;
            var lifetime = json.RootElement.TryGetProperty("expires_in", out var e) ? TimeSpan.FromSeconds(e.GetInt32()) : TimeSpan.FromMinutes(5);
            _renewAt = DateTimeOffset.UtcNow + lifetime - TimeSpan.FromMinutes(1);
            return _token;
        }
    }
}

/// <summary>Calls made as one caller; any answer but success stops the load with what the platform said.</summary>
public sealed class DemoCaller(HttpClient http, string name, Func<CancellationToken, Task<(string Header, string Value)>> credential)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public Task PutAsync(string path, object body) => SendAsync(HttpMethod.Put, path, body);
    public Task PostAsync(string path, object body) => SendAsync(HttpMethod.Post, path, body);

    /// <summary>Whether <paramref name="path"/> answers 200 to this caller (any other answer: no).</summary>
    public async Task<bool> ExistsAsync(string path)
    {
        using var response = await SendAsync(new HttpRequestMessage(HttpMethod.Get, path));
        return response.IsSuccessStatusCode;
    }

    private async Task SendAsync(HttpMethod method, string path, object body)
    {
        using var response = await SendAsync(new HttpRequestMessage(method, path) { Content = JsonContent.Create(body, options: Json) });
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"{method} {path} as {name} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request)
    {
        using (request)
        {
            var (header, value) = await credential(CancellationToken.None);
            if (header == "Authorization") request.Headers.Authorization = AuthenticationHeaderValue.Parse(value);
            else request.Headers.Add(header, value);
            return await http.SendAsync(request);
        }
    }
}

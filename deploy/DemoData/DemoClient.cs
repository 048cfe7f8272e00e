using System.Net.Http.Json;
using System.Text.Json;

namespace Icp.DemoData;

/// <summary>One part of the demo (indicators, referrals, surveys, stories), loaded through the public API.</summary>
public interface IDemoSection
{
    string Name { get; }
    Task LoadAsync(DemoClient client);
}

public sealed class DemoClient(Uri gateway) : IDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly HttpClient _http = CreateClient(gateway);

    private static HttpClient CreateClient(Uri gateway)
    {
        var http = new HttpClient { BaseAddress = gateway, Timeout = TimeSpan.FromMinutes(5) };
        if (Environment.GetEnvironmentVariable("ICP_ADMIN_API_KEY") is { Length: > 0 } key)
            http.DefaultRequestHeaders.Add("X-Api-Key", key);
        return http;
    }

    public Task PutAsync(string path, object body) => SendAsync(HttpMethod.Put, path, body);
    public Task PostAsync(string path, object body) => SendAsync(HttpMethod.Post, path, body);

    private async Task SendAsync(HttpMethod method, string path, object body)
    {
        using var request = new HttpRequestMessage(method, path) { Content = JsonContent.Create(body, options: Json) };
        using var response = await _http.SendAsync(request);
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"{method} {path} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    public void Dispose() => _http.Dispose();
}

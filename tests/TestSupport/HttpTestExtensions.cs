using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Xunit;

namespace Icp.TestSupport;

/// <summary>Small helpers for tests that talk HTTP to a service.</summary>
public static class HttpTestExtensions
{
    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return JsonDocument.Parse(text).RootElement;
    }

    public static async Task<JsonElement> ExpectAsync(this Task<HttpResponseMessage> call, HttpStatusCode status)
    {
        using var response = await call;
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"Expected {(int)status}, got {(int)response.StatusCode}: {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement;
    }

    public static List<(int? Row, string Field)> Errors(this JsonElement problem) =>
        problem.GetProperty("errors").EnumerateArray()
            .Select(e => (e.GetProperty("row").ValueKind == JsonValueKind.Null ? (int?)null : e.GetProperty("row").GetInt32(), e.GetProperty("field").GetString()!))
            .ToList();

    /// <summary>
    /// Waits until an in-process host answers /health/ready (database and bus): a subscriber's queue must be bound before
    /// anything is published, or the broker drops the messages.
    /// </summary>
    public static Task WaitUntilReadyAsync(this HttpClient client, string what) =>
        TestInfrastructure.EventuallyAsync(async () => (await client.GetAsync("/health/ready")).IsSuccessStatusCode, $"{what} is ready (database and bus)");

    public static Task<HttpResponseMessage> PostCsvAsync(this HttpClient client, string url, string csv) =>
        client.PostAsync(url, new StringContent(csv, Encoding.UTF8, "text/csv"));

}

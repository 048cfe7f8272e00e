using Microsoft.AspNetCore.Mvc.Testing;

namespace Icp.TestSupport;

/// <summary>
/// The operator's admin key (ICP_ADMIN_API_KEY, exported by deploy/env.sh), which holds every scope: the credential of
/// tests about something other than access control. The access tests themselves use real tokens (<see cref="Tokens"/>).
/// </summary>
public static class Operator
{
    public const string Header = "X-Api-Key";

    public static string Key => Environment.GetEnvironmentVariable("ICP_ADMIN_API_KEY") is { Length: > 0 } key
        ? key
        : throw new InvalidOperationException("ICP_ADMIN_API_KEY is not set: source deploy/env.sh first.");

    public static HttpClient AsOperator(this HttpClient http)
    {
        http.DefaultRequestHeaders.Remove(Header);
        http.DefaultRequestHeaders.Add(Header, Key);
        return http;
    }

    /// <summary>A client of a running process that sends the admin key.</summary>
    public static HttpClient Client(Uri baseAddress, TimeSpan? timeout = null) =>
        new HttpClient { BaseAddress = baseAddress, Timeout = timeout ?? TimeSpan.FromSeconds(100) }.AsOperator();
}

/// <summary>A test host whose clients send the admin key unless a test removes it.</summary>
public class OperatorFactory<TEntryPoint> : WebApplicationFactory<TEntryPoint> where TEntryPoint : class
{
    protected override void ConfigureClient(HttpClient client)
    {
        base.ConfigureClient(client);
        client.AsOperator();
    }
}

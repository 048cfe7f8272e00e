using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;

namespace Icp.Hosting;

public static class ServiceClients
{
    /// <summary>
    /// A typed client for another platform service at the address in <paramref name="baseUrlKey"/>, with the standard
    /// resilience pipeline (attempt timeout, retries with jittered back-off on transient failures, circuit breaker).
    /// </summary>
    public static IServiceCollection AddServiceClient<TClient>(this IServiceCollection services, string baseUrlKey,
        string defaultUrl) where TClient : class
    {
        services.AddHttpClient<TClient>((sp, http) =>
            {
                var url = sp.GetRequiredService<IConfiguration>()[baseUrlKey];
                http.BaseAddress = new Uri(string.IsNullOrWhiteSpace(url) ? defaultUrl : url.TrimEnd('/') + "/");
            })
            .AddStandardResilienceHandler(o =>
            {
                o.AttemptTimeout.Timeout = TimeSpan.FromSeconds(10);
                o.TotalRequestTimeout.Timeout = TimeSpan.FromSeconds(30);
            });
        return services;
    }
}

using System.Net.Http.Json;
using System.Text.Json;
using Icp.Hosting;
using Icp.Projections;
using Icp.Projections.Surveys;
using Icp.TestSupport;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Icp.Surveys.Tests;

/// <summary>
/// The surveys service and the projection service in-process on the real PostgreSQL and RabbitMQ, each on a database
/// of its own and both on a virtual host of the test class's own (the outbox relay publishes, the inbox consumes).
/// </summary>
public sealed class SurveyStack : IAsyncLifetime
{
    private string _surveysDb = "", _projectionsDb = "", _vhost = "";
    private WebApplicationFactory<SurveysApiMarker>? _surveys;
    private WebApplicationFactory<ProjectionRunner>? _projections;

    public HttpClient Surveys { get; private set; } = null!;
    public HttpClient Projections { get; private set; } = null!;
    public string SurveysDatabase => _surveysDb;

    public async Task InitializeAsync()
    {
        _surveysDb = await TestInfrastructure.CreateDatabaseAsync("surveys");
        _projectionsDb = await TestInfrastructure.CreateDatabaseAsync("proj");
        _vhost = await TestInfrastructure.CreateVirtualHostAsync("surveys");
        // The projection service asks the surveys service (through its test server) for the keys of sealed comments.
        _projections = Configure(new OperatorFactory<ProjectionRunner>(), _projectionsDb).WithWebHostBuilder(b => b
            .UseSetting("Surveys:KeyServiceSecret", ServiceSecret)
            .ConfigureTestServices(services => services.AddHttpClient<SurveyResponseKeyClient>()
                .ConfigurePrimaryHttpMessageHandler(() => new DeferredHandler(() => _surveys!.Server.CreateHandler()))));
        Projections = _projections.CreateClient();
        // Ready before the surveys service can publish (seen once in CI: the projection's bus connected late, messages lost).
        await Projections.WaitUntilReadyAsync("the projection service");
        _surveys = Configure(new OperatorFactory<SurveysApiMarker>(), _surveysDb);
        Surveys = _surveys.CreateClient();
    }

    private WebApplicationFactory<T> Configure<T>(WebApplicationFactory<T> factory, string database) where T : class =>
        factory.WithWebHostBuilder(b => b
            .UseSetting("Postgres:Database", database)
            .UseSetting("Postgres:Password", TestInfrastructure.PostgresPassword)
            .UseSetting("RabbitMq:VirtualHost", _vhost)
            .UseSetting("RabbitMq:Username", TestInfrastructure.Username)
            .UseSetting("RabbitMq:Password", TestInfrastructure.RabbitPassword)
            .UseSetting("NarrativeKeys:SharedSecret", ServiceSecret)
            .ConfigureLogging(l => l.SetMinimumLevel(LogLevel.Warning)));

    /// <summary>The service-to-service secret of both hosts (set explicitly: the environment may carry another).</summary>
    public const string ServiceSecret = "test-service-secret";

    public WebApplicationFactory<ProjectionRunner> ProjectionsHost => _projections!;
    public string ProjectionsDatabase => _projectionsDb;

    // The surveys host exists only after the projection host has started; its handler is made at the first request.
    private sealed class DeferredHandler(Func<HttpMessageHandler> create) : HttpMessageHandler
    {
        private HttpMessageInvoker? _inner;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct) =>
            (_inner ??= new HttpMessageInvoker(create())).SendAsync(request, ct);
    }

    public async Task DisposeAsync()
    {
        if (_surveys is not null) await _surveys.DisposeAsync();
        if (_projections is not null) await _projections.DisposeAsync();
        await TestInfrastructure.DropDatabaseAsync(_surveysDb);
        await TestInfrastructure.DropDatabaseAsync(_projectionsDb);
        await TestInfrastructure.DeleteVirtualHostAsync(_vhost);
    }

    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>(ServiceDefaults.Json));

    public static async Task<JsonElement> ExpectAsync(HttpResponseMessage response, int status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"Expected {status}, got {(int)response.StatusCode}: {body}");
        return body.Length == 0 ? default : JsonDocument.Parse(body).RootElement.Clone();
    }
}

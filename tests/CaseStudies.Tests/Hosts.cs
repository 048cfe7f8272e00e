using Icp.CaseStudies;
using Icp.Projections;
using Icp.Projections.CaseStudies;
using Icp.TestSupport;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using Xunit;

namespace Icp.CaseStudies.Tests;

/// <summary>The case studies service in process, on a database and virtual host of the test class's own.</summary>
public sealed class CaseStudiesHost(string database, string virtualHost) : OperatorFactory<CaseStudiesApiMarker>
{
    /// <summary>The service-to-service secret both test hosts use (set explicitly: the environment may carry another).</summary>
    public const string ServiceSecret = "test-service-secret";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        Configure(builder, database, virtualHost);
    }

    internal static void Configure(IWebHostBuilder builder, string database, string virtualHost)
    {
        builder.UseSetting("Postgres:Database", database);
        builder.UseSetting("Postgres:Password", TestInfrastructure.PostgresPassword);
        builder.UseSetting("RabbitMq:VirtualHost", virtualHost);
        builder.UseSetting("RabbitMq:Username", TestInfrastructure.Username);
        builder.UseSetting("RabbitMq:Password", TestInfrastructure.RabbitPassword);
        builder.UseSetting("NarrativeKeys:SharedSecret", ServiceSecret);
        builder.UseSetting("CaseStudies:KeyServiceSecret", ServiceSecret);
        builder.ConfigureLogging(l => l.SetMinimumLevel(LogLevel.Warning));
    }
}

/// <summary>The projection service in process; it fetches narrative keys from <paramref name="caseStudies"/> through its test server.</summary>
public sealed class ProjectionsHost(string database, string virtualHost, CaseStudiesHost caseStudies) : OperatorFactory<ProjectionRunner>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        CaseStudiesHost.Configure(builder, database, virtualHost);
        builder.UseSetting("CaseStudies:BaseUrl", caseStudies.Server.BaseAddress.ToString());
        builder.ConfigureTestServices(services =>
            services.AddHttpClient<NarrativeKeyClient>().ConfigurePrimaryHttpMessageHandler(() => caseStudies.Server.CreateHandler()));
    }
}

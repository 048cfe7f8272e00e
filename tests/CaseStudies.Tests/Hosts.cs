using Icp.CaseStudies;
using Icp.Projections;
using Icp.Projections.ReadModels;
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
public sealed class CaseStudiesHost(string database, string virtualHost) : WebApplicationFactory<CaseStudiesApiMarker>
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
public sealed class ProjectionsHost(string database, string virtualHost, CaseStudiesHost caseStudies) : WebApplicationFactory<ProjectionRunner>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        CaseStudiesHost.Configure(builder, database, virtualHost);
        builder.UseSetting("CaseStudies:BaseUrl", caseStudies.Server.BaseAddress.ToString());
        builder.ConfigureTestServices(services =>
            services.AddHttpClient<NarrativeKeyClient>().ConfigurePrimaryHttpMessageHandler(() => caseStudies.Server.CreateHandler()));
    }
}

public static class Databases
{
    /// <summary>
    /// How many rows, in every table of every schema the platform created in <paramref name="database"/> (events,
    /// streams, keys, inline tables, read models, checkpoints), contain <paramref name="text"/> anywhere in their text
    /// form, ignoring case. Returns the tables that do.
    /// </summary>
    public static async Task<List<string>> TablesContainingAsync(string database, string text)
    {
        await using var connection = new NpgsqlConnection(TestInfrastructure.ConnectionString(database));
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = new NpgsqlCommand("""
            select quote_ident(table_schema) || '.' || quote_ident(table_name) from information_schema.tables
            where table_type = 'BASE TABLE' and table_schema not in ('pg_catalog', 'information_schema')
            """, connection))
        await using (var reader = await list.ExecuteReaderAsync())
            while (await reader.ReadAsync()) tables.Add(reader.GetString(0));
        Assert.NotEmpty(tables);
        var hits = new List<string>();
        foreach (var table in tables)
        {
            await using var count = new NpgsqlCommand($"select count(*) from {table} t where strpos(lower(t::text), lower($1)) > 0", connection)
            {
                Parameters = { new() { Value = text } },
            };
            if ((long)(await count.ExecuteScalarAsync())! > 0) hits.Add(table);
        }
        return hits;
    }
}

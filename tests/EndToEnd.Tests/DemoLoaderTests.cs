using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Icp.TestSupport;
using Xunit;

namespace Icp.EndToEnd.Tests;

/// <summary>On a platform of its own (the demo's units and catalogue would be in the others' way), after the others.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class DemoPlatformCollection : ICollectionFixture<PlatformFixture>
{
    public const string Name = "demo platform";
}

/// <summary>
/// The demo loader (deploy/DemoData) authenticates like any client: with the demo clients deploy/demo-identity.sh
/// registers (read from that script, so the two cannot drift) it loads the whole demo, every feed submitted under
/// its own source's token; only the reference data is the operator's.
/// </summary>
[Collection(DemoPlatformCollection.Name)]
public sealed partial class DemoLoaderTests(PlatformFixture platform)
{
    [Fact]
    public async Task The_demo_loads_with_each_sources_own_token()
    {
        var environment = new Dictionary<string, string>();
        var script = await File.ReadAllTextAsync(Path.Combine(ServiceProcess.RepositoryRoot, "deploy", "demo-identity.sh"));
        var clients = ClientLine().Matches(script).Select(m => (Id: m.Groups[1].Value, Source: m.Groups[2].Value, Scopes: m.Groups[3].Value)).ToList();
        Assert.Contains(clients, c => c.Id == "community-health-epr");
        foreach (var (id, source, scopes) in clients)
        {
            var created = await platform.Gateway.PostAsJsonAsync("/api/v1/admin/clients", new
            {
                clientId = id, displayName = $"Demo {id}", source, systems = new[] { "camden", "islington" },
                scopes = System.Text.Json.JsonSerializer.Deserialize<string[]>(scopes),
            }).ExpectAsync(HttpStatusCode.Created);
            environment["ICP_CLIENT_" + id.ToUpperInvariant().Replace('-', '_').Replace('.', '_') + "_SECRET"] =
                created.GetProperty("clientSecret").GetString()!;
        }

        var (exitCode, output) = await RunLoaderAsync(environment);
        Assert.True(exitCode == 0, output);

        // Every feed went in under its own source's client, none as the operator.
        var submissions = (await platform.GetJsonAsync("/api/v1/feeds?limit=1000")).EnumerateArray().ToList();
        Assert.NotEmpty(submissions);
        Assert.All(submissions, s => Assert.Equal(s.GetProperty("source").GetString(), s.GetProperty("principal").GetString()));
        Assert.Contains(submissions, s => s.GetProperty("source").GetString() == "community-health-epr");
        // And the rest arrived: referral rows, survey waves, published stories.
        Assert.NotEmpty((await platform.GetJsonAsync("/api/v1/referrals?limit=5")).EnumerateArray());
        Assert.NotEmpty((await platform.GetJsonAsync("/api/v1/waves")).EnumerateArray());
        await TestInfrastructure.EventuallyAsync(async () => (await platform.TryGetJsonAsync("/api/v1/library")) is { } library
            && library.ToString().Contains("demo-story-duty-desk"), "the demo's stories published in the library", 60);
    }

    private async Task<(int ExitCode, string Output)> RunLoaderAsync(Dictionary<string, string> environment)
    {
        var dll = Path.Combine(ServiceProcess.RepositoryRoot, "deploy", "DemoData", "bin", ServiceProcess.BuildConfiguration, "net10.0", "Icp.DemoData.dll");
        var start = new ProcessStartInfo("dotnet", [dll, platform.Gateway.BaseAddress!.ToString()])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var (name, value) in environment) start.Environment[name] = value;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    // client <id> <source> '<scopes as JSON>'
    [GeneratedRegex(@"^client (\S+) (\S+) '(\[[^']*\])'$", RegexOptions.Multiline)]
    private static partial Regex ClientLine();
}

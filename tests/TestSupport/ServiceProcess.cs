using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Icp.TestSupport;

/// <summary>One of the platform's programs started as a real process from its build output, on a free loopback port.</summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private readonly ProcessStartInfo _start;
    private readonly ConcurrentQueue<string> _output = new();
    private Process _process;

    public string Name { get; }
    public Uri Url { get; }

    private ServiceProcess(string name, Uri url, ProcessStartInfo start)
    {
        Name = name;
        Url = url;
        _start = start;
        _process = Launch();
    }

    private Process Launch()
    {
        var process = Process.Start(_start) ?? throw new InvalidOperationException($"{Name} did not start.");
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) Keep(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Keep(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>Kills the process at once (SIGKILL: no shutdown, nothing flushed), as a crash or an OOM kill would.</summary>
    public async Task KillAsync()
    {
        if (_process.HasExited) return;
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    /// <summary>Starts the program again on the same port with the same settings (after <see cref="KillAsync"/>).</summary>
    public void Restart()
    {
        if (!_process.HasExited) throw new InvalidOperationException($"{Name} is still running.");
        _process.Dispose();
        Keep($"--- {Name} restarted ---");
        _process = Launch();
    }

    private void Keep(string line)
    {
        _output.Enqueue(line);
        while (_output.Count > 400) _output.TryDequeue(out _);
    }

    public string RecentOutput => string.Join('\n', _output);

    public bool HasExited => _process.HasExited;

    /// <summary>Starts <c>dotnet {assembly}.dll</c> from <paramref name="projectDirectory"/>'s build output.</summary>
    public static ServiceProcess Start(string name, string projectDirectory, string assemblyName, IDictionary<string, string> environment,
        int? port = null)
    {
        var outputDirectory = Path.Combine(RepositoryRoot, projectDirectory, "bin", BuildConfiguration, "net10.0");
        var assembly = Path.Combine(outputDirectory, assemblyName + ".dll");
        if (!File.Exists(assembly)) throw new FileNotFoundException($"Build {projectDirectory} first ({BuildConfiguration}).", assembly);
        var url = new Uri($"http://127.0.0.1:{port ?? FreePort()}");
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = outputDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(assembly);
        start.Environment["Urls"] = url.ToString().TrimEnd('/');
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in environment) start.Environment[key] = value;
        return new ServiceProcess(name, url, start);
    }

    public async Task WaitUntilReadyAsync(string healthPath = "/health/ready", int timeoutSeconds = 60)
    {
        using var http = new HttpClient { BaseAddress = Url, Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            await TestInfrastructure.EventuallyAsync(async () =>
            {
                if (_process.HasExited) throw new InvalidOperationException($"{Name} exited with {_process.ExitCode}:\n{RecentOutput}");
                try { return (await http.GetAsync(healthPath)).StatusCode == HttpStatusCode.OK; }
                catch (HttpRequestException) { return false; }
                catch (TaskCanceledException) { return false; }
            }, $"{Name} at {Url}{healthPath.TrimStart('/')}", timeoutSeconds);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}\n{RecentOutput}", e);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }

    /// <summary>
    /// A free loopback port below the kernel's ephemeral range (32768 and up on Linux), so that no outgoing connection of
    /// another test can take it between this check and the program binding it (seen in CI as "address already in use").
    /// </summary>
    public static int FreePort()
    {
        for (var attempt = 0; ; attempt++)
        {
            var port = attempt < 200 ? Random.Shared.Next(20_000, 32_000) : 0;
            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return ((IPEndPoint)listener.LocalEndpoint).Port;
            }
            catch (SocketException) when (attempt < 200)
            {
                // taken: try another
            }
        }
    }

    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>Debug or Release: whichever the tests themselves were built with.</summary>
    public static string BuildConfiguration { get; } =
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}") ? "Release" : "Debug";

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "IntegratedCarePlatform.sln"))) return dir.FullName;
        throw new InvalidOperationException("Cannot find IntegratedCarePlatform.sln above the test output.");
    }
}

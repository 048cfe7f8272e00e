using System.Diagnostics;

namespace Icp.Faults.Tests;

/// <summary>Faults of the real PostgreSQL and RabbitMQ that deploy/infra.sh started (the machine's own servers).</summary>
public static class Infrastructure
{
    /// <summary>Stops the broker's application (its listeners close, every connection drops); the node stays up.</summary>
    public static Task StopBrokerAsync() => RunAsync("rabbitmqctl", "-q", "stop_app");

    public static async Task StartBrokerAsync()
    {
        await RunAsync("rabbitmqctl", "-q", "start_app");
        await RunAsync("rabbitmqctl", "-q", "await_startup");
    }

    /// <summary>Restarts the PostgreSQL cluster (fast shutdown: every session is cut off, then it starts again).</summary>
    public static async Task RestartPostgresAsync()
    {
        var cluster = (await RunAsync("pg_lsclusters", "-h")).Split('\n', StringSplitOptions.RemoveEmptyEntries)[0]
            .Split(' ', StringSplitOptions.RemoveEmptyEntries);
        await AsRootAsync("pg_ctlcluster", cluster[0], cluster[1], "restart", "-m", "fast");
    }

    private static Task<string> AsRootAsync(string command, params string[] args) =>
        Environment.UserName == "root" ? RunAsync(command, args) : RunAsync("sudo", ["-n", command, .. args]);

    private static async Task<string> RunAsync(string command, params string[] args)
    {
        var start = new ProcessStartInfo(command) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{command} did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{command} {string.Join(' ', args)} failed: {await error}");
        return await output;
    }
}

using System.Diagnostics;
using Npgsql;

namespace Icp.TestSupport;

/// <summary>
/// The real PostgreSQL and RabbitMQ that deploy/infra.sh started, read from the same environment variables the
/// services use (deploy/env.sh). Every test class gets its own database and its own virtual host.
/// </summary>
public static class TestInfrastructure
{
    public static string PostgresPassword => Required("Postgres__Password");
    public static string RabbitPassword => Required("RabbitMq__Password");
    public const string Username = "icp";

    private static string Required(string name) => Environment.GetEnvironmentVariable(name)
        ?? throw new InvalidOperationException($"{name} is not set: run the tests with deploy/test.sh (or source deploy/env.sh).");

    public static string ConnectionString(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = 5432,
        Username = Username,
        Password = PostgresPassword,
        Database = database,
        MaxPoolSize = 50,
    }.ConnectionString;

    public static string NewName(string prefix) => $"{prefix}_{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 13, 63)];

    /// <summary>Creates an empty database and returns its name.</summary>
    public static async Task<string> CreateDatabaseAsync(string prefix)
    {
        var name = NewName($"icp_test_{prefix}");
        await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"create database \"{name}\"", connection);
        await command.ExecuteNonQueryAsync();
        return name;
    }

    /// <summary>
    /// Drops a test's database. Best effort, tried three times: a drop can lose a race with the server still ending the
    /// sessions it forced out (seen as a class clean-up failure in CI); a test database left behind has a name of its
    /// own and harms nothing, so a drop that keeps failing is reported on the error output, not thrown.
    /// </summary>
    public static async Task DropDatabaseAsync(string name)
    {
        NpgsqlConnection.ClearAllPools();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
                await connection.OpenAsync();
                await using var command = new NpgsqlCommand($"drop database if exists \"{name}\" with (force)", connection);
                await command.ExecuteNonQueryAsync();
                return;
            }
            catch (PostgresException e) when (attempt < 3)
            {
                Console.Error.WriteLine($"Dropping {name} failed ({e.SqlState}: {e.MessageText}); trying again.");
                await Task.Delay(500 * attempt);
            }
            catch (PostgresException e)
            {
                Console.Error.WriteLine($"Test database {name} left behind: {e.SqlState}: {e.MessageText}");
                return;
            }
        }
    }

    /// <summary>Creates a RabbitMQ virtual host the icp user may use, and returns its name.</summary>
    public static async Task<string> CreateVirtualHostAsync(string prefix)
    {
        var name = NewName($"icp-test-{prefix}");
        await RabbitCtlAsync("add_vhost", name);
        await RabbitCtlAsync("set_permissions", "-p", name, Username, ".*", ".*", ".*");
        return name;
    }

    public static Task DeleteVirtualHostAsync(string name) => RabbitCtlAsync("delete_vhost", name);

    private static async Task RabbitCtlAsync(params string[] args)
    {
        var start = new ProcessStartInfo("rabbitmqctl") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-q");
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("rabbitmqctl did not start.");
        var error = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"rabbitmqctl {string.Join(' ', args)} failed: {await error}");
    }

    /// <summary>Polls <paramref name="condition"/> until it holds or the deadline passes (then fails with <paramref name="what"/>).</summary>
    public static async Task EventuallyAsync(Func<Task<bool>> condition, string what, int timeoutSeconds = 30)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (await condition()) return;
            if (deadline.Elapsed > TimeSpan.FromSeconds(timeoutSeconds))
                throw new TimeoutException($"Timed out after {timeoutSeconds}s waiting for: {what}");
            await Task.Delay(50);
        }
    }
}

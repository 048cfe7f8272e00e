using Icp.Identity.Keys;
using Icp.Identity.Server;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace Icp.Identity.Storage;

/// <summary>
/// Before anything else starts: creates the identity database and its tables when missing, the roles, and on the
/// first start the keys.
/// </summary>
internal sealed class IdentityDatabaseInitializer(IServiceScopeFactory scopes, SigningKeyStore keys) : IHostedService
{
    public async Task StartAsync(CancellationToken ct)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                await using (var scope = scopes.CreateAsyncScope())
                {
                    var db = scope.ServiceProvider.GetRequiredService<IdentityDb>();
                    // The schema is created whole on a new database; a later change to it needs an EF Core migration.
                    await db.Database.EnsureCreatedAsync(ct);
                    var roles = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>();
                    foreach (var role in Roles.All)
                        if (!await roles.RoleExistsAsync(role)) await roles.CreateAsync(new IdentityRole(role));
                }
                await keys.RefreshAsync(ct);
                return;
            }
            catch (NpgsqlException e) when (e.IsTransient && DateTime.UtcNow < deadline)
            {
                await Task.Delay(1000, ct);
            }
        }
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}

internal sealed class IdentityDbHealthCheck(IServiceScopeFactory scopes) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<IdentityDb>();
            await db.Database.ExecuteSqlRawAsync("select 1", ct);
            return HealthCheckResult.Healthy();
        }
        catch (Exception e)
        {
            return HealthCheckResult.Unhealthy("PostgreSQL is not reachable.", e);
        }
    }
}

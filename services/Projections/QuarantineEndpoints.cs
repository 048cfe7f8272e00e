using Icp.EventStore;
using Icp.Hosting;
using Icp.Hosting.Messaging;
using Icp.Hosting.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace Icp.Projections;

public sealed record QuarantineList(long Total, IReadOnlyDictionary<string, long> ByReadModel, IReadOnlyList<QuarantineEntry> Entries);

/// <summary>
/// The events (and other work) the read models set aside: listed for an operator, and applied again after a fix.
/// Under /api/v1/admin, so the gateway asks for the admin key.
/// </summary>
public static class QuarantineEndpoints
{
    public const int MaxListed = 1000;

    public static RouteGroupBuilder MapQuarantineEndpoints(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/admin/quarantine").RequireScope(Scopes.Admin);
        group.MapGet("/", List).WithSummary("What the read models set aside, oldest event first");
        group.MapPost("/retry", RetryAll).WithSummary("Apply every quarantined item again (or one read model's)");
        group.MapPost("/{readModel}/{itemId}/retry", RetryOne).WithSummary("Apply one quarantined item again");
        return api;
    }

    private static async Task<Results<Ok<QuarantineList>, ProblemHttpResult>> List(string? readModel, int? limit,
        NpgsqlDataSource dataSource, CancellationToken ct)
    {
        if (limit is < 1 or > MaxListed)
            return (ProblemHttpResult)Problems.Validation([new(null, "limit", $"From 1 to {MaxListed}.")]);
        var counts = await Quarantine.CountAsync(dataSource, ct);
        var entries = await Quarantine.ListAsync(dataSource, readModel, null, limit ?? 100, ct);
        return TypedResults.Ok(new QuarantineList(counts.Values.Sum(), counts, entries));
    }

    private static async Task<Ok<QuarantineRetry>> RetryAll(string? readModel, ProjectionRunner runner, Inbox inbox, CancellationToken ct) =>
        TypedResults.Ok(await runner.RetryQuarantinedAsync(readModel, null, inbox, ct));

    private static async Task<Results<Ok<QuarantineRetry>, ProblemHttpResult>> RetryOne(string readModel, string itemId,
        ProjectionRunner runner, Inbox inbox, CancellationToken ct)
    {
        var result = await runner.RetryQuarantinedAsync(readModel, itemId, inbox, ct);
        return result.Retried == 0
            ? (ProblemHttpResult)Problems.NotFound("Nothing is quarantined under that read model and id.")
            : TypedResults.Ok(result);
    }
}

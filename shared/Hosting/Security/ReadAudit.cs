using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Icp.Hosting.Security;

/// <summary>One sensitive read: who read what, when, through which endpoint. Never the data that was read.</summary>
public sealed record AuditEntry(DateTimeOffset At, string Service, string Principal, string? Source, string Kind, string Resource, int Status);

/// <summary>
/// The audit log of sensitive reads (narratives, survey free text, referral-level rows, the raw event feed). Each
/// service keeps the reads of its own endpoints in its own database, written before the answer leaves: a read that
/// cannot be recorded is not answered. Only the path and the id-like filters named at the endpoint are kept, never
/// free text a caller typed (a search phrase can itself identify someone).
/// </summary>
public static class ReadAudit
{
    public const string InternalPath = "/internal/v1/audit";
    public const int MaxPage = 1000;

    private sealed class AuditSchema() : SqlSchema("""
        create table if not exists audit_reads (
            id        bigserial primary key,
            at        timestamptz not null default now(),
            principal text not null,
            source    text,
            kind      text not null,
            resource  text not null,
            status    int not null
        );
        create index if not exists audit_reads_at on audit_reads (at);
        """);

    public static IServiceCollection AddReadAudit(this IServiceCollection services) =>
        services.AddSingleton<ISchemaSetup, AuditSchema>();

    /// <summary>Records each successful read of this endpoint as <paramref name="kind"/>, with the filters named.</summary>
    public static TBuilder AuditRead<TBuilder>(this TBuilder builder, string kind, params string[] keptFilters)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            var result = await next(context);
            var status = result is IStatusCodeHttpResult { StatusCode: { } code } ? code : StatusCodes.Status200OK;
            if (status is >= 200 and < 300)
                await WriteAsync(context.HttpContext, kind, Resource(context.HttpContext.Request, keptFilters), status);
            return result;
        });

    private static string Resource(HttpRequest request, string[] keptFilters)
    {
        var kept = keptFilters.Where(k => request.Query.ContainsKey(k))
            .Select(k => $"{k}={Uri.EscapeDataString(Truncate(request.Query[k].ToString(), 200))}").ToList();
        return Truncate(request.Path.Value ?? "", 500) + (kept.Count > 0 ? "?" + string.Join('&', kept) : "");
    }

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..max];

    private static async Task WriteAsync(HttpContext http, string kind, string resource, int status)
    {
        var caller = http.Caller();
        var dataSource = http.RequestServices.GetRequiredService<NpgsqlDataSource>();
        await using var command = dataSource.CreateCommand(
            "insert into audit_reads (principal, source, kind, resource, status) values ($1, $2, $3, $4, $5)");
        command.Parameters.Add(new() { Value = caller.Principal });
        command.Parameters.Add(new() { Value = (object?)caller.Source ?? DBNull.Value, DataTypeName = "text" });
        command.Parameters.Add(new() { Value = kind });
        command.Parameters.Add(new() { Value = resource });
        command.Parameters.Add(new() { Value = status });
        await command.ExecuteNonQueryAsync(http.RequestAborted);
    }

    /// <summary>This service's entries, newest first, for the audit endpoint that gathers every service's.</summary>
    public static async Task<List<AuditEntry>> ReadAsync(NpgsqlDataSource dataSource, string service, AuditQuery query, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand($"""
            select at, principal, source, kind, resource, status from audit_reads
            where ($1::text is null or principal = $1) and ($2::text is null or kind = $2)
              and ($3::timestamptz is null or at >= $3) and ($4::timestamptz is null or at < $4)
            order by at desc, id desc limit {Math.Clamp(query.Limit, 1, MaxPage)}
            """);
        command.Parameters.Add(new() { Value = (object?)query.Principal ?? DBNull.Value, DataTypeName = "text" });
        command.Parameters.Add(new() { Value = (object?)query.Kind ?? DBNull.Value, DataTypeName = "text" });
        command.Parameters.Add(new() { Value = query.From.HasValue ? query.From.Value : DBNull.Value, DataTypeName = "timestamptz" });
        command.Parameters.Add(new() { Value = query.To.HasValue ? query.To.Value : DBNull.Value, DataTypeName = "timestamptz" });
        var entries = new List<AuditEntry>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            entries.Add(new AuditEntry(reader.GetFieldValue<DateTimeOffset>(0), service, reader.GetString(1),
                reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetInt32(5)));
        return entries;
    }

    /// <summary>This service's entries for the projection service, which answers <c>GET /api/v1/admin/audit</c>.</summary>
    public static IEndpointConventionBuilder MapReadAuditExport(this IEndpointRouteBuilder app, string service) =>
        app.MapGet(InternalPath, async (string? principal, string? kind, string? from, string? to, int? limit, NpgsqlDataSource dataSource,
                CancellationToken ct) =>
            AuditQuery.Parse(principal, kind, from, to, limit) is ({ } query, _)
                ? Results.Ok(await ReadAsync(dataSource, service, query, ct))
                : Results.BadRequest())
            .RequireServiceSecret().ExcludeFromDescription();
}

public sealed record AuditQuery(string? Principal, string? Kind, DateTimeOffset? From, DateTimeOffset? To, int Limit)
{
    public static (AuditQuery? Query, List<ValidationError> Errors) Parse(string? principal, string? kind, string? from, string? to, int? limit)
    {
        var errors = new List<ValidationError>();
        if (principal is { Length: > 200 }) errors.Add(new(null, "principal", "At most 200 characters."));
        if (kind is { Length: > 50 }) errors.Add(new(null, "kind", "At most 50 characters."));
        var fromAt = Instant(from, "from", errors);
        var toAt = Instant(to, "to", errors);
        if (limit is < 1 or > ReadAudit.MaxPage) errors.Add(new(null, "limit", $"From 1 to {ReadAudit.MaxPage}."));
        return errors.Count > 0 ? (null, errors) : (new AuditQuery(principal, kind, fromAt, toAt, limit ?? 100), errors);
    }

    private static DateTimeOffset? Instant(string? value, string field, List<ValidationError> errors)
    {
        if (value is null) return null;
        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)) return at;
        errors.Add(new(null, field, "An ISO 8601 instant, e.g. 2026-12-01T00:00:00Z."));
        return null;
    }

    public string QueryString() => string.Join('&', new[]
    {
        Principal is null ? null : "principal=" + Uri.EscapeDataString(Principal),
        Kind is null ? null : "kind=" + Uri.EscapeDataString(Kind),
        From is null ? null : "from=" + Uri.EscapeDataString(From.Value.ToString("O")),
        To is null ? null : "to=" + Uri.EscapeDataString(To.Value.ToString("O")),
        "limit=" + Limit.ToString(CultureInfo.InvariantCulture),
    }.OfType<string>());
}

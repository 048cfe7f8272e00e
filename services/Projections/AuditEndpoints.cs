using System.Net.Http.Json;
using Icp.Hosting;
using Icp.Hosting.Security;
using Icp.Projections.CaseStudies;
using Npgsql;

namespace Icp.Projections;

/// <summary>Another service's audit entries, read over its <c>/internal/v1/audit</c> endpoint with the service secret.</summary>
public abstract class RemoteAuditLog(HttpClient http, IConfiguration configuration)
{
    public async Task<List<AuditEntry>> ReadAsync(AuditQuery query, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, ReadAudit.InternalPath.TrimStart('/') + "?" + query.QueryString());
        ServiceSecret.Present(request, configuration);
        using var response = await http.SendAsync(request, ct);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<List<AuditEntry>>(ServiceDefaults.Json, ct) ?? [];
    }
}

public sealed class ReferralsAuditLog(HttpClient http, IConfiguration configuration) : RemoteAuditLog(http, configuration);
public sealed class CaseStudiesAuditLog(HttpClient http, IConfiguration configuration) : RemoteAuditLog(http, configuration);

/// <summary>
/// <c>GET /api/v1/admin/audit</c>: the sensitive reads of every service that serves sensitive data (this one, referrals,
/// case studies), newest first. If a service cannot be reached the answer says so rather than looking complete.
/// </summary>
public static class AuditEndpoints
{
    public static IServiceCollection AddAuditLog(this IServiceCollection services)
    {
        services.AddReadAudit();
        services.AddServiceClient<ReferralsAuditLog>("Referrals:BaseUrl", "http://127.0.0.1:5102/");
        services.AddServiceClient<CaseStudiesAuditLog>("CaseStudies:BaseUrl", CaseStudiesModule.DefaultCaseStudiesUrl);
        return services;
    }

    public static RouteGroupBuilder MapAuditEndpoint(this RouteGroupBuilder api)
    {
        api.MapGet("/admin/audit", async (string? principal, string? kind, string? from, string? to, int? limit,
                NpgsqlDataSource dataSource, ReferralsAuditLog referrals, CaseStudiesAuditLog caseStudies, ILogger<AuditLogMarker> logger,
                CancellationToken ct) =>
            {
                var (query, errors) = AuditQuery.Parse(principal, kind, from, to, limit);
                if (query is null) return Problems.Validation(errors);
                var entries = await ReadAudit.ReadAsync(dataSource, "projections", query, ct);
                var unavailable = new List<string>();
                foreach (var (service, log) in new (string, RemoteAuditLog)[] { ("referrals", referrals), ("casestudies", caseStudies) })
                {
                    try { entries.AddRange(await log.ReadAsync(query, ct)); }
                    catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
                    {
                        logger.LogWarning(e, "The audit entries of {Service} could not be read", service);
                        unavailable.Add(service);
                    }
                }
                var page = entries.OrderByDescending(e => e.At).Take(query.Limit).ToList();
                return Results.Ok(new { entries = page, unavailable });
            })
            .RequireScope(Scopes.Admin).WithTags("admin")
            .WithSummary("Who read which sensitive data (narratives, free text, referral rows, event-feed pages), newest first");
        return api;
    }
}

public sealed class AuditLogMarker;

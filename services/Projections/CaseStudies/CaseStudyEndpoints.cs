using Icp.Hosting;
using Icp.Hosting.Security;
using Icp.Hosting.Intake;

namespace Icp.Projections.CaseStudies;

public static class CaseStudyEndpoints
{
    public static RouteGroupBuilder MapCaseStudyEndpoints(this RouteGroupBuilder api)
    {
        var library = api.MapGroup("/library").WithTags("library").RequireScope(Scopes.ReadSensitive);

        library.MapGet("", async (string? q, string? kind, string? unitId, string? indicatorId, string? theme, string? riskType,
            string? tag, string? from, string? to, int? limit, int? offset, HttpContext http, CaseStudyQueries queries, CancellationToken ct) =>
        {
            var errors = new List<ValidationError>();
            if (from is not null && !IsMonth(from)) errors.Add(new(null, "from", "Use a month as YYYY-MM."));
            if (to is not null && !IsMonth(to)) errors.Add(new(null, "to", "Use a month as YYYY-MM."));
            if (kind is not null && kind is not ("story" or "case_study" or "theograph" or "realist"))
                errors.Add(new(null, "kind", "Must be one of story, case_study, theograph, realist."));
            if (limit is < 1 or > 500) errors.Add(new(null, "limit", "From 1 to 500."));
            if (offset is < 0) errors.Add(new(null, "offset", "Must not be negative."));
            if (errors.Count > 0) return Problems.Validation(errors);
            var items = await queries.SearchAsync(new LibraryQuery(q, kind, unitId, indicatorId, theme, riskType, tag, from, to,
                limit ?? 50, offset ?? 0, (await http.UnitScopeAsync()).UnitIds), ct);
            return Results.Ok(new { items });
        }).WithSummary("Search published stories and case studies (full text, filters by unit, indicator, theme, risk type, tag, period)")
            .AuditRead("library search", "kind", "unitId", "indicatorId", "theme", "riskType", "tag", "from", "to", "limit", "offset");

        // Beside the charts; what a chart shows of a story (title, month) is for every chart reader.
        api.MapGet("/library/annotations/{indicatorId}/{unitId}", async (string indicatorId, string unitId, HttpContext http,
            CaseStudyQueries queries, CancellationToken ct) => Results.Ok(new
            {
                indicatorId, unitId, annotations = await queries.AnnotationsAsync(indicatorId, unitId, (await http.UnitScopeAsync()).UnitIds, ct),
            }))
            .WithTags("library").RequireScope(Scopes.ReadAggregate, Scopes.ReadSensitive).RequireUnitInScope()
            .WithSummary("Published records linked to an SPC chart's indicator and unit: one annotation per linked month");

        library.MapGet("/realist", async (string? unitId, string? indicatorId, HttpContext http, CaseStudyQueries queries,
            CancellationToken ct) =>
        {
            var records = await queries.RealistRecordsAsync(unitId, indicatorId, (await http.UnitScopeAsync()).UnitIds, ct);
            return Results.Ok(CaseStudyRealistView.Build(records.Select(r => (r.Item.RecordId, r.Item.Title, r.Narrative.Realist!))));
        }).WithSummary("Programme-theory outcomes with their CMOCs and evidence, and themes with barriers and enablers")
            .AuditRead("narrative", "unitId", "indicatorId");

        library.MapGet("/{recordId}", async (string recordId, HttpContext http, CaseStudyQueries queries, CancellationToken ct) =>
            await queries.GetAsync(recordId, (await http.UnitScopeAsync()).UnitIds, ct) is { } record
                ? Results.Ok(new { record.Item, record.Narrative })
                : Problems.NotFound($"No published record {Text.Echo(recordId)}."))
            .WithSummary("One published record with its narrative").AuditRead("narrative");

        library.MapGet("/{recordId}/theograph.svg", async (string recordId, HttpContext http, CaseStudyQueries queries, CancellationToken ct) =>
            await queries.GetAsync(recordId, (await http.UnitScopeAsync()).UnitIds, ct) is { Narrative.Theograph: { } theograph } record
                ? Results.Text(CaseStudyTheographSvg.Render(record.Item.Title, theograph), "image/svg+xml")
                : Problems.NotFound($"No published theograph {Text.Echo(recordId)}."))
            .WithSummary("A published theograph drawn as SVG: one row per setting, a mark per event").AuditRead("narrative");

        api.MapGet("/storybook", async (string? ids, string? title, bool? download, HttpContext http, CaseStudyQueries queries,
            CancellationToken ct) =>
        {
            http.Response.Headers.ContentSecurityPolicy = StoryBook.ContentSecurityPolicy;
            var wanted = (ids ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct().ToList();
            if (wanted.Count is 0 or > 200) return Problems.Validation([new(null, "ids", "Name 1–200 published record ids, comma-separated.")]);
            var records = await queries.GetManyAsync(wanted, (await http.UnitScopeAsync()).UnitIds, ct);
            var missing = wanted.Except(records.Select(r => r.Item.RecordId)).ToList();
            if (missing.Count > 0) return Problems.NotFound($"Not published (or withdrawn): {string.Join(", ", missing)}.");
            var html = StoryBook.Render(string.IsNullOrWhiteSpace(title) ? "Stories and case studies" : title.Trim(), records,
                TimeProvider.System.GetUtcNow());
            if (download == true)
                return Results.File(System.Text.Encoding.UTF8.GetBytes(html), "text/html; charset=utf-8", "story-book.html");
            return Results.Content(html, "text/html; charset=utf-8");
        }).WithTags("library").RequireScope(Scopes.ReadSensitive).AuditRead("narrative", "ids")
            .WithSummary("Selected published records as one self-contained HTML story book");

        return api;
    }

    private static bool IsMonth(string text) =>
        text.Length == 7 && DateOnly.TryParseExact(text + "-01", "yyyy-MM-dd", out _);
}

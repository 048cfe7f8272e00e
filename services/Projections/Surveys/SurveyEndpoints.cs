using System.Globalization;
using Icp.Hosting;
using Icp.Hosting.Security;
using Icp.Hosting.Intake;
using Microsoft.Extensions.Options;

namespace Icp.Projections.Surveys;

/// <summary>Configuration section "Surveys".</summary>
public sealed class SurveyAnalysisOptions
{
    /// <summary>Breakdowns (by organisation, by team, subgroup comparisons) with fewer respondents are suppressed.</summary>
    public int MinimumCellSize { get; set; } = Icp.Statistics.SmallCellSuppression.DefaultThreshold;
}

public static class SurveyEndpoints
{
    public static RouteGroupBuilder MapSurveyEndpoints(this RouteGroupBuilder routes)
    {
        // Statistics with small cells suppressed are aggregate; free text and respondent-level scores are not.
        var api = routes.MapGroup("").RequireScope(Scopes.ReadAggregate);
        var sensitive = routes.MapGroup("").RequireScope(Scopes.ReadSensitive);
        api.MapGet("/surveys/compare", async (string? before, string? after, string? organisation, string? team, int? minCellSize,
                HttpContext http, SurveyQueries queries, IOptions<SurveyAnalysisOptions> options, CancellationToken ct) =>
            {
                var errors = PairErrors(before, after);
                if (organisation is not null && team is not null) errors.Add(new(null, "team", "Filter by organisation or by team, not both."));
                if (errors.Count > 0) return Problems.Validation(errors);
                var (pair, problem) = await LoadPairAsync(queries, before!, after!, http, ct);
                if (pair is null) return problem!;
                return Results.Ok(SurveyAnalyses.Compare(pair.Value.Before, pair.Value.After, new RespondentFilter(organisation, team),
                    MinimumCellSize(options, minCellSize)));
            })
            .WithSummary("Unpaired wave comparison per scale item: Mann–Whitney U, CLES, Benjamini–Hochberg, positive shares.")
            .Produces<CompareView>();

        api.MapGet("/surveys/matched", async (string? before, string? after, HttpContext http, SurveyQueries queries, CancellationToken ct) =>
            {
                var errors = PairErrors(before, after);
                if (errors.Count > 0) return Problems.Validation(errors);
                var (pair, problem) = await LoadPairAsync(queries, before!, after!, http, ct);
                return pair is null ? problem! : Results.Ok(SurveyAnalyses.Matched(pair.Value.Before, pair.Value.After));
            })
            .WithSummary("Matched analysis of respondents with the same identification code in both waves: Wilcoxon signed-rank, rank-biserial.")
            .Produces<MatchedView>();

        api.MapGet("/surveys/waves/{waveId}", async (string waveId, string? by, int? minCellSize, HttpContext http, SurveyQueries queries,
                IOptions<SurveyAnalysisOptions> options, CancellationToken ct) =>
            {
                if (by is not (null or "organisation" or "team")) return Problems.Validation([new(null, "by", "Break down by organisation or team.")]);
                var (data, missing) = await queries.LoadWaveAsync(waveId, http, ct);
                return data is null ? Problems.NotFound(missing!) : Results.Ok(SurveyAnalyses.Summarise(data, by, MinimumCellSize(options, minCellSize)));
            })
            .WithSummary("Per scale item of one wave: n, mean, SD, median, counts per level, positive share (optionally by organisation or team).")
            .Produces<WaveSummaryView>();

        sensitive.MapGet("/surveys/waves/{waveId}/comments", async (string waveId, string? itemId, HttpContext http, SurveyQueries queries, CancellationToken ct) =>
            {
                var (data, missing) = await queries.LoadWaveAsync(waveId, http, ct);
                if (data is null) return Problems.NotFound(missing!);
                return Results.Ok(SurveyAnalyses.Comments(data, await queries.CodingsAsync(waveId, ct), itemId));
            })
            .WithSummary("Free-text answers of a wave with their current coding (themes, sentiment).")
            .AuditRead("survey free text", "itemId")
            .Produces<List<CommentView>>();

        api.MapGet("/surveys/waves/{waveId}/themes", async (string waveId, string? itemId, HttpContext http, SurveyQueries queries, CancellationToken ct) =>
            {
                var (data, missing) = await queries.LoadWaveAsync(waveId, http, ct);
                if (data is null) return Problems.NotFound(missing!);
                return Results.Ok(SurveyAnalyses.Themes(data, await queries.CodingsAsync(waveId, ct), itemId));
            })
            .WithSummary("Theme counts by sentiment over the coded comments of a wave.")
            .Produces<ThemesView>();

        api.MapGet("/pat/{waveId}", async (string waveId, int? minCellSize, HttpContext http, SurveyQueries queries, IOptions<SurveyAnalysisOptions> options,
                CancellationToken ct) =>
            {
                var (data, problem) = await LoadPatAsync(queries, waveId, http, ct);
                return data is null ? problem! : Results.Ok(SurveyAnalyses.Pat(data, MinimumCellSize(options, minCellSize)));
            })
            .WithSummary("Partnership Assessment Tool: principle and total statistics and bands, aims, response rate, by organisation and team.")
            .Produces<PatView>();

        sensitive.MapGet("/pat/{waveId}/respondents", async (string waveId, HttpContext http, SurveyQueries queries, CancellationToken ct) =>
            {
                var (data, problem) = await LoadPatAsync(queries, waveId, http, ct);
                return data is null ? problem! : Results.Ok(SurveyAnalyses.PatRespondents(data));
            })
            .WithSummary("Partnership Assessment Tool: each respondent's principle scores, total and bands.")
            .AuditRead("respondent scores")
            .Produces<List<PatRespondentView>>();

        api.MapGet("/pat/{waveId}/profile.svg", async (string waveId, string? by, int? minCellSize, HttpContext http, SurveyQueries queries,
                IOptions<SurveyAnalysisOptions> options, CancellationToken ct) =>
            {
                if (by is not (null or "organisation" or "team")) return Problems.Validation([new(null, "by", "Overlay organisations or teams.")]);
                var (data, problem) = await LoadPatAsync(queries, waveId, http, ct);
                if (data is null) return problem!;
                var pat = SurveyAnalyses.Pat(data, MinimumCellSize(options, minCellSize));
                var series = new List<ProfileSeries> { new("All respondents", pat.Respondents, pat.Principles.Select(p => p.Mean).ToList()) };
                string? footnote = null;
                if (by is not null)
                {
                    var groups = by == "organisation" ? pat.ByOrganisation : pat.ByTeam;
                    series.AddRange(groups.Where(g => !g.Suppressed).Select(g => new ProfileSeries(g.Group, g.Respondents, g.Principles!.Select(p => p.Mean).ToList())));
                    var hidden = groups.Count(g => g.Suppressed);
                    if (hidden > 0) footnote = $"{hidden} {by} group(s) with fewer than {pat.MinimumCellSize} respondents not shown.";
                }
                var wave = data.Wave;
                var invited = wave.Invited is { } n ? $" of {n} invited" : "";
                var svg = SurveyProfileSvg.Render($"Partnership profile: {wave.Name ?? wave.WaveId} ({wave.Month})",
                    $"Mean principle scores; {pat.Respondents} respondents{invited}", series, footnote);
                return Results.Text(svg, "image/svg+xml");
            })
            .WithSummary("The partnership profile: a radar of mean principle scores, axes labelled with the six principles (optionally by organisation or team).")
            .Produces<string>(contentType: "image/svg+xml");
        return routes;
    }

    private static int MinimumCellSize(IOptions<SurveyAnalysisOptions> options, int? requested) =>
        Math.Max(Math.Max(1, options.Value.MinimumCellSize), requested ?? 0);

    private static List<ValidationError> PairErrors(string? before, string? after)
    {
        var errors = new List<ValidationError>();
        if (string.IsNullOrEmpty(before)) errors.Add(new(null, "before", "Name the earlier wave (?before=waveId)."));
        if (string.IsNullOrEmpty(after)) errors.Add(new(null, "after", "Name the later wave (?after=waveId)."));
        if (errors.Count == 0 && before == after) errors.Add(new(null, "after", "Compare two different waves."));
        return errors;
    }

    private static async Task<((WaveData Before, WaveData After)? Pair, IResult? Problem)> LoadPairAsync(SurveyQueries queries, string before,
        string after, HttpContext http, CancellationToken ct)
    {
        var (w1, missing1) = await queries.LoadWaveAsync(before, http, ct);
        if (w1 is null) return (null, Problems.NotFound(missing1!));
        var (w2, missing2) = await queries.LoadWaveAsync(after, http, ct);
        if (w2 is null) return (null, Problems.NotFound(missing2!));
        if (w1.Instrument.InstrumentId != w2.Instrument.InstrumentId)
            return (null, Problems.Validation([new(null, "after", string.Create(CultureInfo.InvariantCulture,
                $"Wave {Text.Echo(after)} used instrument '{w2.Instrument.InstrumentId}', wave {Text.Echo(before)} '{w1.Instrument.InstrumentId}': only waves of one instrument can be compared."))]));
        return ((w1, w2), null);
    }

    private static async Task<(WaveData? Data, IResult? Problem)> LoadPatAsync(SurveyQueries queries, string waveId, HttpContext http,
        CancellationToken ct)
    {
        var (data, missing) = await queries.LoadWaveAsync(waveId, http, ct);
        if (data is null) return (null, Problems.NotFound(missing!));
        if (data.Instrument.Scoring != "pat")
            return (null, Problems.NotFound($"Wave {Text.Echo(waveId)} did not use a Partnership Assessment Tool instrument."));
        return (data, null);
    }
}

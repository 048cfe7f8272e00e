using Microsoft.AspNetCore.Http;

namespace Icp.Hosting.Security;

/// <summary>How feed and referral submission status answers a caller limited to some systems.</summary>
public static class SubmissionVisibility
{
    /// <summary>
    /// The one submission under an id that the caller may see, a submission being visible when every unit it wrote to
    /// is in the caller's systems (one accepted before its units were kept, only to callers who see every unit): 404
    /// when none is, 409 when several sources used the id. The scope is read for the units the submissions name, so a
    /// unit made moments ago is known (not the cache's older copy).
    /// </summary>
    public static async Task<IResult> StatusAsync<T>(this HttpContext http, IReadOnlyList<(T Status, string[]? UnitIds)> found)
    {
        var scope = await http.UnitScopeAsync(found.SelectMany(f => f.UnitIds ?? []).Distinct());
        return found.Where(f => scope.IsEverything || (f.UnitIds is { } units && scope.IncludesAll(units)))
            .Select(f => f.Status).ToList() switch
        {
            [var only] => Results.Ok(only),
            [] => Problems.NotFound("No accepted submission under this id (a rejected submission stores nothing)."),
            _ => Problems.Conflict("Several sources used this submission id; name one with ?source=."),
        };
    }
}

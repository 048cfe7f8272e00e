using Icp.Hosting.Security;

namespace Icp.Projections.Referrals;

/// <summary>The referral read model and the indicators derived from it (charted by the SPC endpoints).</summary>
public static class ReferralsModule
{
    public static IServiceCollection AddReferrals(this IServiceCollection services)
    {
        services.AddReadModel<ReferralReadModel>();
        services.AddSingleton<ReferralIndicatorQueries>();
        return services;
    }

    public static RouteGroupBuilder MapReferrals(this RouteGroupBuilder routes)
    {
        var api = routes.MapGroup("").RequireScope(Scopes.ReadAggregate);
        api.MapGet("/referral-indicators/{unitId}", async (string unitId, ReferralIndicatorQueries referrals,
                CancellationToken ct) => Results.Ok(new { unitId, indicators = await referrals.ListAsync(unitId, ct) }))
            .RequireUnitInScope()
            .WithSummary("The indicators derived from referral records for a unit "
                + "(chart each with /spc/{indicatorId}/{unitId})");
        return routes;
    }
}

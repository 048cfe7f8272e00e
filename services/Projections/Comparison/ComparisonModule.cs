namespace Icp.Projections.Comparison;

/// <summary>An intervention unit's chart against its peer neighbourhood's; its services are the SPC area's.</summary>
public static class ComparisonModule
{
    public static RouteGroupBuilder MapComparison(this RouteGroupBuilder api) => api.MapComparisonEndpoints();
}

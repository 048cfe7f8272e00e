namespace Icp.Projections.Dashboard;

/// <summary>The units × indicators dashboard; its cells are kept by the indicator read model (Spc).</summary>
public static class DashboardModule
{
    public static RouteGroupBuilder MapDashboard(this RouteGroupBuilder api) => api.MapDashboardEndpoints();
}

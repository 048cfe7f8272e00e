namespace Icp.Projections.Spc;

/// <summary>SPC charts and funnel plots: the indicator read model (values, units, dashboard cells).</summary>
public static class SpcModule
{
    public static IServiceCollection AddSpc(this IServiceCollection services)
    {
        services.AddReadModel<IndicatorReadModels>();
        services.AddSingleton<SpcQueries>();
        services.AddSingleton<Funnels>();
        services.AddSingleton<ChartableSeries>();
        return services;
    }

    public static RouteGroupBuilder MapSpc(this RouteGroupBuilder api) => api.MapSpcEndpoints().MapFunnelEndpoints();
}

namespace Icp.Projections.LiveUpdates;

/// <summary>Server-Sent Events telling the web application which read models changed.</summary>
public static class LiveUpdatesModule
{
    public static IServiceCollection AddLiveUpdates(this IServiceCollection services) =>
        services.AddSingleton<LiveUpdateHub>();

    public static RouteGroupBuilder MapLiveUpdates(this RouteGroupBuilder api) => api.MapLiveUpdateEndpoints();
}

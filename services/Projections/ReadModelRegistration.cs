using Icp.Hosting;

namespace Icp.Projections;

public static class ReadModelRegistration
{
    /// <summary>Registers a read model: its tables are created at start-up and the runner feeds it every stored event.</summary>
    public static IServiceCollection AddReadModel<T>(this IServiceCollection services) where T : class, IReadModelProjection, ISchemaSetup
    {
        services.AddSingleton<T>();
        services.AddSingleton<ISchemaSetup>(sp => sp.GetRequiredService<T>());
        services.AddSingleton<IReadModelProjection>(sp => sp.GetRequiredService<T>());
        return services;
    }
}

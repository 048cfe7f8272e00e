using Icp.Hosting;

namespace Icp.Projections.CaseStudies;

/// <summary>Published stories and case studies: the library, their annotations on charts, the story book.</summary>
public static class CaseStudiesModule
{
    public const string DefaultCaseStudiesUrl = "http://127.0.0.1:5104/";

    /// <summary>
    /// The case-study catalogue read model, the narrative hydrator and its key client (CaseStudies:BaseUrl).
    /// </summary>
    public static IServiceCollection AddCaseStudies(this IServiceCollection services)
    {
        services.AddReadModel<CaseStudyReadModels>();
        services.AddSingleton<CaseStudyQueries>();
        services.AddServiceClient<NarrativeKeyClient>("CaseStudies:BaseUrl", DefaultCaseStudiesUrl);
        services.AddSingleton<CaseStudyNarrativeHydrator>();
        services.AddHostedService(sp => sp.GetRequiredService<CaseStudyNarrativeHydrator>());
        return services;
    }

    public static RouteGroupBuilder MapCaseStudies(this RouteGroupBuilder api) => api.MapCaseStudyEndpoints();
}

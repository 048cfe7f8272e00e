using Icp.Hosting;

namespace Icp.Projections.Surveys;

/// <summary>Survey analyses: wave comparisons, matched pairs, PAT profiles, themes and comments.</summary>
public static class SurveysModule
{
    public const string DefaultSurveysUrl = "http://127.0.0.1:5103/";

    /// <summary>
    /// The survey read models, the hydrator of sealed comments and its key client (Surveys:BaseUrl).
    /// </summary>
    public static IServiceCollection AddSurveys(this IServiceCollection services)
    {
        services.AddReadModel<SurveyReadModels>();
        services.AddSingleton<SurveyQueries>();
        services.AddOptions<SurveyAnalysisOptions>().BindConfiguration("Surveys");
        services.AddServiceClient<SurveyResponseKeyClient>("Surveys:BaseUrl", DefaultSurveysUrl);
        services.AddSingleton<SurveyCommentHydrator>();
        services.AddHostedService(sp => sp.GetRequiredService<SurveyCommentHydrator>());
        return services;
    }

    public static RouteGroupBuilder MapSurveys(this RouteGroupBuilder api) => api.MapSurveyEndpoints();
}

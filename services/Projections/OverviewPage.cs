using Icp.Hosting.Security;

namespace Icp.Projections;

/// <summary>
/// The programme overview page (wwwroot), served through the gateway at /. Its files hold no data, so they are
/// anonymous; the data it shows comes from the API with the caller's token.
/// </summary>
public static class OverviewPage
{
    private static readonly Dictionary<string, (string File, string ContentType)> Files = new(StringComparer.Ordinal)
    {
        ["/"] = ("index.html", "text/html; charset=utf-8"),
        ["/index.html"] = ("index.html", "text/html; charset=utf-8"),
        ["/assets/overview.css"] = ("assets/overview.css", "text/css; charset=utf-8"),
        ["/assets/overview.js"] = ("assets/overview.js", "text/javascript; charset=utf-8"),
    };

    public static WebApplication MapOverviewPage(this WebApplication app)
    {
        foreach (var (path, (file, contentType)) in Files)
            app.MapGet(path, (IWebHostEnvironment environment) =>
                    Results.File(Path.Combine(environment.WebRootPath, file), contentType))
                .AllowAnonymous().ExcludeFromDescription();
        return app;
    }
}

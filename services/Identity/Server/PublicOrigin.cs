using Microsoft.Extensions.Options;

namespace Icp.Identity.Server;

/// <summary>
/// Every request is taken as addressed to the issuer (the gateway), whichever address it came in on: discovery then
/// advertises endpoints callers can reach, and nothing points at the service's own loopback port. The gateway does
/// not forward the original Host, and a header a caller could set is not trusted for this.
/// </summary>
public static class PublicOrigin
{
    public static WebApplication UsePublicOrigin(this WebApplication app)
    {
        var issuer = app.Services.GetRequiredService<IOptions<IdentitySettings>>().Value.Issuer;
        var host = new HostString(issuer.Authority);
        var pathBase = new PathString(issuer.AbsolutePath.TrimEnd('/'));
        app.Use((context, next) =>
        {
            context.Request.Scheme = issuer.Scheme;
            context.Request.Host = host;
            context.Request.PathBase = pathBase;
            return next(context);
        });
        return app;
    }
}

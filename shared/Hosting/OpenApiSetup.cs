using Icp.Hosting.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;

namespace Icp.Hosting;

/// <summary>
/// Each service's OpenAPI document, served anonymously at /openapi/v1.json (the gateway publishes it as
/// /openapi/{service}.json). It names the gateway as its server, never the service's own loopback port, and the two
/// ways to authenticate.
/// </summary>
public static class OpenApiSetup
{
    public const string PublicUrlSetting = "OpenApi:PublicUrl";

    public static WebApplicationBuilder AddIcpOpenApi(this WebApplicationBuilder builder)
    {
        var publicUrl = builder.Configuration[PublicUrlSetting] is { Length: > 0 } url ? url : "http://127.0.0.1:8080";
        builder.Services.AddOpenApi(o => o.AddDocumentTransformer((document, _, _) =>
        {
            document.Servers = [new OpenApiServer { Url = publicUrl.TrimEnd('/'), Description = "The platform's gateway" }];
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes = new Dictionary<string, IOpenApiSecurityScheme>
            {
                ["bearer"] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http, Scheme = "bearer", BearerFormat = "JWT",
                    Description = "An access token from the platform's identity server (client credentials or sign-in).",
                },
                ["adminKey"] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.ApiKey, In = ParameterLocation.Header, Name = AccessSettings.AdminKeyHeader,
                    Description = "The operator's admin key: every scope.",
                },
            };
            document.Security =
            [
                new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("bearer", document)] = [] },
                new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("adminKey", document)] = [] },
            ];
            return Task.CompletedTask;
        }));
        return builder;
    }

    public static IEndpointConventionBuilder MapIcpOpenApi(this WebApplication app) =>
        app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
}

using Icp.Hosting.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;

namespace Icp.Hosting;

/// <summary>
/// Each service's OpenAPI document, served anonymously at /openapi/v1.json (the gateway publishes it as
/// /openapi/{service}.json). It names the gateway as its server, never the service's own loopback port, and the ways
/// to authenticate; each operation says what opens it, read from the same metadata that enforces it
/// (<see cref="OperationAccess"/>).
/// </summary>
public static class OpenApiSetup
{
    public const string PublicUrlSetting = "OpenApi:PublicUrl";
    /// <summary>OAuth 2 tokens from the platform's identity server, with the scopes they carry.</summary>
    public const string OAuth2Scheme = "oauth2";
    /// <summary>The same access token, as the Authorization header carries it.</summary>
    public const string BearerScheme = "bearer";
    public const string AdminKeyScheme = "adminKey";

    public static WebApplicationBuilder AddIcpOpenApi(this WebApplicationBuilder builder)
    {
        var publicUrl = (builder.Configuration[PublicUrlSetting] is { Length: > 0 } url ? url : "http://127.0.0.1:8080").TrimEnd('/');
        builder.Services.AddOpenApi(o =>
        {
            o.AddDocumentTransformer((document, _, _) =>
            {
                document.Servers = [new OpenApiServer { Url = publicUrl, Description = "The platform's gateway" }];
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes = new Dictionary<string, IOpenApiSecurityScheme>
                {
                    [OAuth2Scheme] = new OpenApiSecurityScheme
                    {
                        Type = SecuritySchemeType.OAuth2,
                        Description = "An access token from the platform's identity server: client credentials for systems, " +
                                      "authorization code with PKCE for people. Each operation lists the scopes that open it.",
                        Flows = new OpenApiOAuthFlows
                        {
                            ClientCredentials = new OpenApiOAuthFlow { TokenUrl = new Uri($"{publicUrl}/connect/token"), Scopes = ScopeDescriptions() },
                            AuthorizationCode = new OpenApiOAuthFlow
                            {
                                AuthorizationUrl = new Uri($"{publicUrl}/connect/authorize"),
                                TokenUrl = new Uri($"{publicUrl}/connect/token"),
                                Scopes = ScopeDescriptions(),
                            },
                        },
                    },
                    [BearerScheme] = new OpenApiSecurityScheme
                    {
                        Type = SecuritySchemeType.Http, Scheme = "bearer", BearerFormat = "JWT",
                        Description = "The same access token, sent as Authorization: Bearer.",
                    },
                    [AdminKeyScheme] = new OpenApiSecurityScheme
                    {
                        Type = SecuritySchemeType.ApiKey, In = ParameterLocation.Header, Name = AccessSettings.AdminKeyHeader,
                        Description = "The operator's admin key: every scope.",
                    },
                };
                document.Security =
                [
                    new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(OAuth2Scheme, document)] = [] },
                    new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(AdminKeyScheme, document)] = [] },
                ];
                return Task.CompletedTask;
            });
            o.AddOperationTransformer((operation, context, _) =>
            {
                OperationAccess.Describe(operation, context.Description.ActionDescriptor.EndpointMetadata, context.Document);
                return Task.CompletedTask;
            });
        });
        return builder;
    }

    public static IEndpointConventionBuilder MapIcpOpenApi(this WebApplication app) =>
        app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();

    private static Dictionary<string, string> ScopeDescriptions() => Scopes.All.ToDictionary(s => s, Scopes.Describe);
}

/// <summary>
/// What opens an operation, written into its OpenAPI description from the endpoint's own authorization metadata (the
/// policies <see cref="AccessControl.RequireScope"/> adds, and any <see cref="ScopeRequirement"/> an endpoint carries
/// itself), so the document cannot drift from what is enforced. An anonymous endpoint gets an empty security list and
/// <c>x-icp-access: anonymous</c>; any other lists each minimal set of scopes that opens it (one OAuth 2 requirement
/// per set, the admin key always), and <c>x-icp-scopes</c> carries the same sets for tools.
/// </summary>
public static class OperationAccess
{
    public const string AccessExtension = "x-icp-access";
    public const string ScopesExtension = "x-icp-scopes";

    public static void Describe(OpenApiOperation operation, IEnumerable<object> metadata, OpenApiDocument? document)
    {
        var items = metadata.ToList();
        if (IsAnonymous(items))
        {
            operation.Security = [];
            (operation.Extensions ??= new Dictionary<string, IOpenApiExtension>())[AccessExtension] =
                new JsonNodeExtension(System.Text.Json.Nodes.JsonValue.Create("anonymous"));
            return;
        }
        var alternatives = ScopeAlternatives(items);
        operation.Security =
        [
            .. alternatives.Select(scopes => new OpenApiSecurityRequirement
            {
                [new OpenApiSecuritySchemeReference(OpenApiSetup.OAuth2Scheme, document)] = [.. scopes],
            }),
            new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(OpenApiSetup.AdminKeyScheme, document)] = [] },
        ];
        var extensions = operation.Extensions ??= new Dictionary<string, IOpenApiExtension>();
        extensions[AccessExtension] = new JsonNodeExtension(System.Text.Json.Nodes.JsonValue.Create(
            alternatives is [{ Count: 0 }] ? "authenticated" : "scopes"));
        extensions[ScopesExtension] = new JsonNodeExtension(new System.Text.Json.Nodes.JsonArray(
            [.. alternatives.Select(a => (System.Text.Json.Nodes.JsonNode)new System.Text.Json.Nodes.JsonArray(
                [.. a.Select(s => (System.Text.Json.Nodes.JsonNode?)System.Text.Json.Nodes.JsonValue.Create(s))]))]));
        var wording = alternatives is [{ Count: 0 }]
            ? "Any authenticated caller."
            : "Needs the scope " + string.Join(" or ", alternatives.Select(a => string.Join(" and ", a))) + " (or the admin key).";
        operation.Description = operation.Description is { Length: > 0 } d ? $"{d}\n\n{wording}" : wording;
    }

    /// <summary>Whether authorization lets anyone in (<see cref="IAllowAnonymous"/> wins over every policy).</summary>
    public static bool IsAnonymous(IEnumerable<object> metadata) => metadata.OfType<IAllowAnonymous>().Any();

    /// <summary>
    /// Every scope requirement on the endpoint (each one any-of, all of them must hold) as the minimal sets of scopes
    /// that satisfy them all: e.g. (a or b or c) and (a) is [[a]]. No requirement: one empty set (any caller with a
    /// credential).
    /// </summary>
    public static IReadOnlyList<IReadOnlyList<string>> ScopeAlternatives(IEnumerable<object> metadata)
    {
        var items = metadata.ToList();
        var requirements = items.OfType<AuthorizationPolicy>().SelectMany(p => p.Requirements).OfType<ScopeRequirement>()
            .Concat(items.OfType<ScopeRequirement>()).Distinct().ToList();
        List<SortedSet<string>> sets = [new(StringComparer.Ordinal)];
        foreach (var requirement in requirements)
            sets = [.. sets.SelectMany(set => requirement.AnyOf.Select(scope => new SortedSet<string>(set, StringComparer.Ordinal) { scope }))];
        var minimal = sets.Where(set => !sets.Any(other => other.Count < set.Count && other.IsSubsetOf(set)))
            .DistinctBy(set => string.Join(' ', set)).OrderBy(set => set.Count).ThenBy(set => string.Join(' ', set), StringComparer.Ordinal);
        return [.. minimal.Select(set => (IReadOnlyList<string>)[.. set])];
    }
}

using Icp.Hosting;
using Icp.Identity.Keys;
using Icp.Identity.People;
using Icp.Identity.Storage;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OpenIddict.Server;
using OpenIddict.Validation;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Icp.Identity.Server;

/// <summary>The identity database, ASP.NET Core Identity for people, and the OpenIddict server on them.</summary>
public static class IdentityServerModule
{
    public static WebApplicationBuilder AddIcpIdentityServer(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var section = builder.Configuration.GetSection(IdentitySettings.Section);
        var settings = section.Get<IdentitySettings>() ?? new IdentitySettings();
        services.Configure<IdentitySettings>(section);
        services.Configure<PostgresOptions>(builder.Configuration.GetSection("Postgres"));
        services.TryAddSingletonTimeProvider();
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = 1024 * 1024);

        services.AddDbContext<IdentityDb>((sp, db) =>
        {
            db.UseNpgsql(sp.GetRequiredService<IOptions<PostgresOptions>>().Value.ConnectionString("icp_identity"));
            db.UseOpenIddict();
        });
        services.AddIdentity<Person, IdentityRole>(o =>
            {
                o.Password.RequiredLength = Passwords.MinLength;
                o.Password.RequireDigit = o.Password.RequireLowercase = o.Password.RequireUppercase = false;
                o.Password.RequireNonAlphanumeric = false;
                o.Lockout.MaxFailedAccessAttempts = settings.Lockout.MaxFailedAttempts;
                o.Lockout.DefaultLockoutTimeSpan = settings.Lockout.Duration;
                o.Lockout.AllowedForNewUsers = true;
                o.User.AllowedUserNameCharacters = Passwords.UserNameCharacters;
                o.ClaimsIdentity.UserNameClaimType = Claims.Name;
                o.ClaimsIdentity.UserIdClaimType = Claims.Subject;
                o.ClaimsIdentity.RoleClaimType = Claims.Role;
            })
            .AddEntityFrameworkStores<IdentityDb>()
            .AddDefaultTokenProviders();
        services.ConfigureApplicationCookie(SignIn.SignInCookie.Configure);
        services.AddAntiforgery(o => o.Cookie.Name = "icp.antiforgery");

        services.AddSingleton<KeyProtector>();
        services.AddSingleton<SigningKeyStore>();
        services.AddSingleton<IConfigureOptions<OpenIddictServerOptions>, KeyRingServerOptions>();
        services.AddSingleton<IOptionsChangeTokenSource<OpenIddictServerOptions>, KeyRingServerChange>();
        services.AddSingleton<IOptionsChangeTokenSource<OpenIddictValidationOptions>, KeyRingValidationChange>();
        services.AddHostedService<IdentityDatabaseInitializer>();
        services.AddHostedService<KeyRingRefresher>();
        services.AddHealthChecks().AddCheck<IdentityDbHealthCheck>("postgres", tags: [ServiceDefaults.ReadyTag]);

        services.AddOpenIddict()
            .AddCore(o => o.UseEntityFrameworkCore().UseDbContext<IdentityDb>())
            .AddServer(o =>
            {
                o.SetIssuer(settings.Issuer);
                o.SetAuthorizationEndpointUris("connect/authorize")
                    .SetTokenEndpointUris("connect/token")
                    .SetUserInfoEndpointUris("connect/userinfo")
                    .SetRevocationEndpointUris("connect/revoke")
                    .SetIntrospectionEndpointUris("connect/introspect")
                    .SetJsonWebKeySetEndpointUris(".well-known/jwks");
                o.AllowClientCredentialsFlow().AllowAuthorizationCodeFlow().AllowRefreshTokenFlow();
                o.RequireProofKeyForCodeExchange();
                o.Configure(options =>
                {
                    options.CodeChallengeMethods.Clear();
                    options.CodeChallengeMethods.Add(CodeChallengeMethods.Sha256);
                    // Token lifetimes and key retirement are read from the real clock; only the key store takes the
                    // injected one (tests move it to a key's retirement).
                    options.TimeProvider = TimeProvider.System;
                });
                o.RegisterScopes([.. ApiScopes.All]);
                o.RegisterAudiences(ApiScopes.Audience);
                o.SetAccessTokenLifetime(settings.AccessTokenLifetime)
                    .SetRefreshTokenLifetime(settings.RefreshTokenLifetime)
                    .SetAuthorizationCodeLifetime(settings.AuthorizationCodeLifetime)
                    .SetIdentityTokenLifetime(settings.IdentityTokenLifetime);
                // Resource servers validate access tokens as plain signed JWTs with JwtBearer.
                o.DisableAccessTokenEncryption();
                o.AddEventHandler(ScopePermissionCheck.Descriptor);
                var aspNetCore = o.UseAspNetCore()
                    .EnableAuthorizationEndpointPassthrough()
                    .EnableTokenEndpointPassthrough()
                    .EnableUserInfoEndpointPassthrough();
                if (!settings.RequireHttps) aspNetCore.DisableTransportSecurityRequirement();
            })
            .AddValidation(o =>
            {
                o.UseLocalServer();
                o.AddAudiences(ApiScopes.Audience);
                o.UseAspNetCore();
                o.Configure(options => options.TimeProvider = TimeProvider.System);
            });
        return builder;
    }

    private static void TryAddSingletonTimeProvider(this IServiceCollection services)
    {
        if (services.All(d => d.ServiceType != typeof(TimeProvider))) services.AddSingleton(TimeProvider.System);
    }
}

using Icp.Hosting;
using Icp.Identity.Clients;
using Icp.Identity.Keys;
using Icp.Identity.People;
using Icp.Identity.Server;
using Icp.Identity.SignIn;

// The platform's OpenID Connect / OAuth 2.1 server (OpenIddict): tokens for source systems (client credentials) and
// people (authorization code + PKCE, sign-in page of its own), and their administration. docs/operations.md, "Identity".
var builder = WebApplication.CreateBuilder(args);
builder.AddIcpServiceDefaults(new ServiceInfo("identity")).AddIcpIdentityServer();
builder.AddIcpOpenApi();

var app = builder.Build();
app.UsePublicOrigin();
app.MapIcpDefaults();
app.UseAuthentication();
app.MapIcpOpenApi();      // /openapi/v1.json (the gateway publishes it as /openapi/identity.json)

app.MapOpenIdConnect();   // /connect/token, /connect/authorize, /connect/userinfo (+ OpenIddict's discovery, JWKS, revoke, introspect)
app.MapSignIn();          // /account/login
app.MapClients();         // /api/v1/admin/clients
app.MapPeople();          // /api/v1/admin/users
app.MapSigningKeys();     // /api/v1/admin/identity/signing-keys

app.Run();

public partial class Program;

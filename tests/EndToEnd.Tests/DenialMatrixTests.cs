using System.Net;
using System.Text;
using System.Text.Json;
using Xunit;
using Xunit.Abstractions;

namespace Icp.EndToEnd.Tests;

/// <summary>
/// The denial matrix over every operation every service documents, derived from the OpenAPI documents rather than
/// listed by hand: each operation's <c>security</c> (written from the endpoint's own authorization metadata) says
/// whether it is anonymous by design and which scopes open it. For every other operation: no credential is a 401
/// problem at the gateway and at the service's own port; a real token with every scope but the ones that open it is a
/// 403 problem at both; a token with just the documented scopes gets past access control (whatever the dummy ids and
/// the empty body then earn: 400, 404, …), and the gateway answers as the service does, so the route is really served.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class DenialMatrixTests(PlatformFixture platform, ITestOutputHelper output)
{
    private static readonly string[] Methods = ["get", "put", "post", "delete", "patch"];
    private readonly string _suffix = Guid.NewGuid().ToString("N")[..8];
    private readonly Dictionary<string, string> _tokens = [];

    private sealed record Operation(string Service, string Method, string Template, string Path, string? BodyType,
        bool Anonymous, IReadOnlyList<IReadOnlyList<string>> ScopeSets)
    {
        public override string ToString() => $"{Method.ToUpperInvariant()} {Template} ({Service})";
    }

    [Fact]
    public async Task Every_documented_operation_refuses_strangers_and_wrong_scopes_and_opens_to_its_documented_scopes()
    {
        var (operations, allScopes) = await DocumentedOperationsAsync();
        var failures = new List<string>();
        var requests = 0;
        Assert.NotEmpty(allScopes);

        foreach (var operation in operations)
        {
            using var direct = platform.WithToken(null, platform.ServiceUrls[operation.Service]);
            if (operation.Anonymous)
            {
                // Anonymous by design (sign-in, token endpoint, …): the gateway lets a stranger through to the service.
                var (viaGateway, atService) = (await SendAsync(platform.Anonymous, operation), await SendAsync(direct, operation));
                requests += 2;
                if (viaGateway.Status == HttpStatusCode.Forbidden || (viaGateway.Status, viaGateway.MediaType) != (atService.Status, atService.MediaType))
                    failures.Add($"{operation}: anonymous by design, but a stranger got {viaGateway} at the gateway and {atService} at the service");
                continue;
            }

            // No credential at all: 401 problem, at the gateway and at the service.
            foreach (var (where, http) in new[] { ("gateway", platform.Anonymous), ("service", direct) })
            {
                var answer = await SendAsync(http, operation);
                requests++;
                if (answer.Status != HttpStatusCode.Unauthorized || answer.MediaType != "application/problem+json" || !answer.Challenges)
                    failures.Add($"{operation}: a stranger at the {where} got {answer}, not a 401 problem with WWW-Authenticate");
            }

            // Every scope except those that open it: 403 problem.
            var opening = operation.ScopeSets.SelectMany(s => s).ToHashSet(StringComparer.Ordinal);
            var others = allScopes.Where(s => !opening.Contains(s)).ToArray();
            if (opening.Count > 0 && others.Length > 0)
            {
                var token = await TokenAsync(others);
                foreach (var (where, baseAddress) in new[] { ("gateway", platform.Gateway.BaseAddress!), ("service", platform.ServiceUrls[operation.Service]) })
                {
                    using var http = platform.WithToken(token, baseAddress);
                    var answer = await SendAsync(http, operation);
                    requests++;
                    if (answer.Status != HttpStatusCode.Forbidden || answer.MediaType != "application/problem+json")
                        failures.Add($"{operation}: a token with [{string.Join(' ', others)}] at the {where} got {answer}, not a 403 problem");
                }
            }

            // Each documented set of scopes opens it, and the gateway answers as the service does.
            foreach (var scopes in operation.ScopeSets)
            {
                var token = await TokenAsync(scopes.Count > 0 ? [.. scopes] : [allScopes[0]]);
                using var viaGatewayClient = platform.WithToken(token);
                using var atServiceClient = platform.WithToken(token, platform.ServiceUrls[operation.Service]);
                var viaGateway = await SendAsync(viaGatewayClient, operation);
                var atService = await SendAsync(atServiceClient, operation);
                requests += 2;
                if (viaGateway.Status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden || atService.Status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
                    failures.Add($"{operation}: a token with [{string.Join(' ', scopes)}] got {viaGateway} at the gateway and {atService} at the service");
                else if (viaGateway.Status != atService.Status)
                    failures.Add($"{operation}: with [{string.Join(' ', scopes)}] the gateway answered {viaGateway} but the service {atService} (not routed?)");
            }
        }

        var anonymous = operations.Count(o => o.Anonymous);
        output.WriteLine($"Denial matrix: {operations.Count} operations in {operations.Select(o => o.Service).Distinct().Count()} documents " +
                         $"({operations.Count - anonymous} protected, {anonymous} anonymous by design), {requests} requests.");
        foreach (var operation in operations)
            output.WriteLine($"  {operation}: {(operation.Anonymous ? "anonymous" : string.Join(" | ", operation.ScopeSets.Select(s => s.Count == 0 ? "any credential" : string.Join(" + ", s))))}");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        // Every service's document is covered, and each has protected operations.
        Assert.Equal(platform.ServiceUrls.Keys.Order(), operations.Select(o => o.Service).Distinct().Order());
        Assert.All(operations.GroupBy(o => o.Service), g => Assert.Contains(g, o => !o.Anonymous));
    }

    [Fact]
    public async Task Each_operations_documented_scopes_are_the_ones_its_endpoint_enforces()
    {
        var (operations, allScopes) = await DocumentedOperationsAsync();
        var byPath = operations.ToDictionary(o => $"{o.Method} {o.Template}");
        // A few fixed points the rest of the platform relies on, read back from the documents.
        Assert.Equal([["feeds:write"]], byPath["post /api/v1/feeds"].ScopeSets);
        Assert.Equal([["read:sensitive"]], byPath["get /api/v1/events"].ScopeSets);
        Assert.Equal([["admin"]], byPath["post /api/v1/admin/identity/signing-keys/rotate"].ScopeSets);
        Assert.Equal([["admin"]], byPath["post /api/v1/admin/clients/{clientId}/secret"].ScopeSets);
        Assert.Equal([["consent:manage"]], byPath["post /api/v1/stories/{recordId}/publish"].ScopeSets);
        Assert.True(byPath["post /connect/token"].Anonymous);
        Assert.True(byPath["get /account/login"].Anonymous);
        Assert.Equal(["admin", "casestudies:write", "consent:manage", "feeds:write", "read:aggregate", "read:sensitive", "referrals:write", "surveys:write"],
            allScopes.Order(StringComparer.Ordinal));
    }

    private async Task<(List<Operation> Operations, string[] AllScopes)> DocumentedOperationsAsync()
    {
        var operations = new List<Operation>();
        var allScopes = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var service in platform.ServiceUrls.Keys.Order())
        {
            // Served anonymously through the gateway, the same document as at the service.
            using var response = await platform.Anonymous.GetAsync($"/openapi/{service}.json");
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"/openapi/{service}.json answered {(int)response.StatusCode}");
            using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            var root = document.RootElement;
            foreach (var scope in root.GetProperty("components").GetProperty("securitySchemes").GetProperty("oauth2")
                         .GetProperty("flows").GetProperty("clientCredentials").GetProperty("scopes").EnumerateObject())
                allScopes.Add(scope.Name);
            foreach (var path in root.GetProperty("paths").EnumerateObject())
            foreach (var item in path.Value.EnumerateObject().Where(p => Methods.Contains(p.Name)))
            {
                var parameters = item.Value.TryGetProperty("parameters", out var p) ? p.EnumerateArray().ToList() : [];
                var security = item.Value.GetProperty("security").EnumerateArray().ToList();
                var scopeSets = security.Where(r => r.TryGetProperty("oauth2", out _))
                    .Select(r => (IReadOnlyList<string>)[.. r.GetProperty("oauth2").EnumerateArray().Select(s => s.GetString()!)]).ToList();
                string? bodyType = item.Value.TryGetProperty("requestBody", out var body)
                    ? body.GetProperty("content").EnumerateObject().Select(c => c.Name)
                        .OrderBy(c => c == "application/json" ? 0 : 1).FirstOrDefault() ?? "application/json"
                    : null;
                operations.Add(new Operation(service, item.Name, path.Name, Concrete(path.Name, parameters), bodyType,
                    security.Count == 0, scopeSets));
            }
        }
        return (operations, [.. allScopes]);
    }

    // Plausible dummy values: nothing the platform holds, in the shape each parameter asks for.
    private static string Concrete(string template, List<JsonElement> parameters)
    {
        string Dummy(JsonElement parameter)
        {
            var name = parameter.GetProperty("name").GetString()!;
            var schema = parameter.TryGetProperty("schema", out var s) ? s : default;
            string? Of(string property) => schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty(property, out var v)
                ? (v.ValueKind == JsonValueKind.Array ? string.Join(',', v.EnumerateArray()) : v.ToString()) : null;
            if (Of("format") == "uuid") return Guid.NewGuid().ToString();
            if (Of("type") is { } type && type.Contains("integer")) return "1";
            if (name.Contains("period", StringComparison.OrdinalIgnoreCase) || name is "from" or "to" or "month") return "2025-01";
            if (Of("enum") is { Length: > 0 } values) return values.Split(',')[0];
            return "dm-absent";
        }
        var path = template;
        var query = new List<string>();
        foreach (var parameter in parameters)
        {
            var name = parameter.GetProperty("name").GetString()!;
            switch (parameter.GetProperty("in").GetString())
            {
                case "path":
                    path = path.Replace("{" + name + "}", Uri.EscapeDataString(Dummy(parameter)));
                    break;
                case "query" when parameter.TryGetProperty("required", out var required) && required.GetBoolean():
                    query.Add($"{Uri.EscapeDataString(name)}={Uri.EscapeDataString(Dummy(parameter))}");
                    break;
            }
        }
        return query.Count == 0 ? path : $"{path}?{string.Join('&', query)}";
    }

    private async Task<string> TokenAsync(string[] scopes)
    {
        var key = string.Join(' ', scopes.Order(StringComparer.Ordinal));
        if (_tokens.TryGetValue(key, out var token)) return token;
        var clientId = $"matrix-{_suffix}-{_tokens.Count}";
        // A source of its own, so that a submitting scope is not refused for want of one.
        token = await platform.ClientTokenAsync(clientId, scopes, source: clientId);
        _tokens[key] = token;
        return token;
    }

    private sealed record Answer(HttpStatusCode Status, string? MediaType, bool Challenges)
    {
        public override string ToString() => $"{(int)Status} {MediaType}";
    }

    // Headers only: an operation that streams (server-sent events) never ends its body.
    private static async Task<Answer> SendAsync(HttpClient http, Operation operation)
    {
        using var request = new HttpRequestMessage(new HttpMethod(operation.Method.ToUpperInvariant()), operation.Path);
        if (operation.BodyType is { } type)
            request.Content = new StringContent(type.Contains("json") ? "{}" : "", Encoding.UTF8, type);
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        return new Answer(response.StatusCode, response.Content.Headers.ContentType?.MediaType,
            response.Headers.WwwAuthenticate.Any(h => h.Scheme == "Bearer"));
    }
}

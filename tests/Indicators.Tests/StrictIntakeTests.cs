using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Icp.TestSupport;
using Xunit;

namespace Icp.Indicators.Tests;

/// <summary>Hostile and careless input to the indicators service: each refused whole, with the field named.</summary>
public sealed class StrictIntakeTests(IndicatorsHost host) : IClassFixture<IndicatorsHost>, IAsyncLifetime
{
    private HttpClient Client => host.Client;

    public Task InitializeAsync() => ApiHelpers.SeedAsync(Client, "east", "west");
    public Task DisposeAsync() => Task.CompletedTask;

    private Task<long> EventsAsync() => host.ScalarAsync("select count(*) from mt_events");

    private Task<HttpResponseMessage> PostJsonAsync(string path, string json) =>
        Client.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));

    private Task<HttpResponseMessage> PutJsonAsync(string path, string json) =>
        Client.PutAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));

    private static void NoDotNetNames(JsonElement problem)
    {
        var text = problem.ToString();
        foreach (var leak in new[] { "Icp.", "System.", "List`1", "Nullable", ".NET", "Exception" }) Assert.DoesNotContain(leak, text);
    }

    [Fact]
    public async Task A_unit_named_with_a_nul_is_a_400_naming_the_field_not_a_500()
    {
        var before = await EventsAsync();
        var problem = await PutJsonAsync("/api/v1/units/nul", """{ "name": "Ea\u0000st", "kind": "neighbourhood" }""")
            .ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Equal([((int?)null, "name")], problem.Errors());
        Assert.Contains("U+0000", problem.GetProperty("errors")[0].GetProperty("message").GetString());
        await PutJsonAsync("/api/v1/indicators/esc", """{ "name": "Esc\u001b[31m", "domain": "Efficiency\u007f", "measure": "count", "improvement": "increase" }""")
            .ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Equal(before, await EventsAsync());
    }

    [Fact]
    public async Task Names_and_labels_have_length_limits_and_errors_quote_only_a_short_prefix()
    {
        var longName = new string('x', 201);
        var problem = await Client.PutAsJsonAsync("/api/v1/units/long", new { name = longName, kind = "neighbourhood" })
            .ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Equal("At most 200 characters (201 given).", problem.GetProperty("errors")[0].GetProperty("message").GetString());
        var unknownUnit = new string('u', 100);
        var feed = await Client.PostAsJsonAsync("/api/v1/feeds", new
        {
            source = "epr", submissionId = "long-1",
            rows = new[] { new { unitId = unknownUnit, indicatorId = "referrals-in", period = "2025-03", value = 1 } },
        }).ExpectAsync(HttpStatusCode.BadRequest);
        var message = feed.GetProperty("errors")[0].GetProperty("message").GetString()!;
        Assert.Equal($"Unknown unit '{new string('u', 32)}…'.", message);
    }

    [Fact]
    public async Task Implausible_numbers_are_refused_per_measure()
    {
        var problem = await Client.PostAsJsonAsync("/api/v1/feeds", new
        {
            source = "epr", submissionId = "huge-1",
            rows = new object[]
            {
                new { unitId = "east", indicatorId = "referrals-in", period = "2025-03", value = 1e308 },
                new { unitId = "east", indicatorId = "reablement", period = "2025-03", numerator = 2e7, denominator = 3e7 },
                new { unitId = "west", indicatorId = "referrals-in", period = "2025-03", value = 9_999_999 },
            },
        }).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Equal([(1, "value"), (2, "numerator"), (2, "denominator")], problem.Errors().Select(e => (e.Row!.Value, e.Field)));
        Assert.Equal("At most 10,000,000 for a count.", problem.GetProperty("errors")[0].GetProperty("message").GetString());
        await Client.PutAsJsonAsync("/api/v1/indicators/big-target", new { name = "x", domain = "y", measure = "mean", improvement = "increase", target = 1e300 })
            .ExpectAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Duplicate_keys_and_unknown_fields_are_refused_with_the_field_named()
    {
        var before = await EventsAsync();
        var duplicate = await PostJsonAsync("/api/v1/feeds", """
            { "source": "epr", "submissionId": "dup-1",
              "rows": [ { "unitId": "east", "indicatorId": "referrals-in", "period": "2025-03", "value": 1, "value": 999 } ] }
            """).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Equal([((int?)1, "value")], duplicate.Errors());

        var unknown = await PostJsonAsync("/api/v1/feeds", """
            { "source": "epr", "submissionId": "unk-1",
              "rows": [ { "unitId": "east", "indicatorId": "referrals-in", "period": "2025-03", "value": 1 },
                        { "unitId": "east", "indicatorId": "referrals-in", "period": "2025-04", "value": 2, "patientName": "A Person" } ] }
            """).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Equal([((int?)2, "patientName")], unknown.Errors());
        Assert.Equal("Not a field of this request.", unknown.GetProperty("errors")[0].GetProperty("message").GetString());
        NoDotNetNames(unknown);

        var unitField = await PutJsonAsync("/api/v1/units/extra", """{ "name": "Extra", "kind": "team", "nhsNumber": "x" }""")
            .ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Equal([((int?)null, "nhsNumber")], unitField.Errors());
        NoDotNetNames(unitField);
        Assert.Equal(before, await EventsAsync());
    }

    [Fact]
    public async Task Binding_failures_answer_with_the_same_errors_array_as_validation()
    {
        var wrongKind = await PutJsonAsync("/api/v1/units/kind", """{ "name": ["a", "list"], "kind": "team" }""").ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Equal([((int?)null, "name")], wrongKind.Errors());
        NoDotNetNames(wrongKind);
        var noBody = await Client.PutAsync("/api/v1/units/empty", new StringContent("", Encoding.UTF8, "application/json"))
            .ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Equal([((int?)null, "body")], noBody.Errors());
        var broken = await PostJsonAsync("/api/v1/feeds", """{ "source": "epr", "rows": [ """).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Equal([((int?)null, "body")], broken.Errors());
        var query = await Client.GetAsync("/api/v1/feeds?limit=lots").ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Equal([((int?)null, "limit")], query.Errors());
        NoDotNetNames(query);
    }

    [Fact]
    public async Task A_csv_column_given_twice_is_refused()
    {
        var problem = await Client.PostCsvAsync("/api/v1/feeds?source=epr&submissionId=csv-dup",
            "unit_id,indicator_id,period,value,numerator,denominator,value\neast,referrals-in,2025-03,1,,,2\n").ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Contains(((int?)null, "value"), problem.Errors());
    }

    [Fact]
    public async Task The_same_submission_id_with_other_rows_is_a_conflict_and_stores_nothing()
    {
        object Feed(string source, int value) => new
        {
            source, submissionId = "same-id-1",
            rows = new[] { new { unitId = "west", indicatorId = "referrals-in", period = "2025-02", value } },
        };
        await Client.PostAsJsonAsync("/api/v1/feeds", Feed("epr", 10)).ExpectAsync(HttpStatusCode.Accepted);
        var before = await EventsAsync();
        var conflict = await Client.PostAsJsonAsync("/api/v1/feeds", Feed("epr", 11)).ExpectAsync(HttpStatusCode.Conflict);
        Assert.Contains("other rows", conflict.GetProperty("detail").GetString());
        Assert.Equal(before, await EventsAsync());
        await Client.PostAsJsonAsync("/api/v1/feeds", Feed("epr", 10)).ExpectAsync(HttpStatusCode.Accepted); // a true replay
        Assert.Equal(before, await EventsAsync());

        // Submission ids are scoped to their source: another system may use the same id.
        await Client.PostAsJsonAsync("/api/v1/feeds", Feed("social-care", 12)).ExpectAsync(HttpStatusCode.Accepted);
        Assert.Equal(before + 2, await EventsAsync()); // its submission event and one revision
        await Client.GetAsync("/api/v1/feeds/same-id-1").ExpectAsync(HttpStatusCode.Conflict);
        var status = await Client.GetAsync("/api/v1/feeds/same-id-1?source=social-care").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("social-care", status.GetProperty("source").GetString());
    }
}

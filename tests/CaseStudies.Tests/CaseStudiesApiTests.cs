using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Icp.TestSupport;
using Npgsql;
using Xunit;

namespace Icp.CaseStudies.Tests;

public sealed class CaseStudiesApiFixture : IAsyncLifetime
{
    public string Database { get; private set; } = "";
    public string VirtualHost { get; private set; } = "";
    public CaseStudiesHost Host { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Database = await TestInfrastructure.CreateDatabaseAsync("cs");
        VirtualHost = await TestInfrastructure.CreateVirtualHostAsync("cs");
        Host = new CaseStudiesHost(Database, VirtualHost);
        Host.CreateClient();
    }

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        await TestInfrastructure.DropDatabaseAsync(Database);
        await TestInfrastructure.DeleteVirtualHostAsync(VirtualHost);
    }
}

public sealed class CaseStudiesApiTests(CaseStudiesApiFixture fixture) : IClassFixture<CaseStudiesApiFixture>
{
    private readonly HttpClient _http = fixture.Host.CreateClient();

    private static object Story(string biggestDifference = "The shared duty desk meant one call reached everyone.", string risks = "A fall at night.") => new
    {
        role = "District nurse", month = "2025-09", unitIds = new[] { "east" }, indicatorIds = new[] { "reablement" },
        biggestDifference, differenceForPerson = "She stayed at home with support.", risks,
        howOutcomeChanged = "No admission.", otherwise = "A week on a ward.", tags = new[] { "duty desk" },
    };

    private async Task<long> CountAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(TestInfrastructure.ConnectionString(fixture.Database));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    [Fact]
    public async Task A_story_goes_from_draft_to_published_with_consent_recorded()
    {
        var created = await _http.PostAsJsonAsync("/api/v1/stories", Story());
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await created.Content.ReadFromJsonAsync<JsonObject>();
        var id = body!["storyId"]!.GetValue<string>();
        Assert.Equal("draft", body["status"]!.GetValue<string>());

        var publishEarly = await _http.PostAsync($"/api/v1/stories/{id}/publish", null);
        Assert.Equal(HttpStatusCode.Conflict, publishEarly.StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await _http.PostAsync($"/api/v1/stories/{id}/send-for-validation", null)).StatusCode);
        var validated = await _http.PostAsJsonAsync($"/api/v1/stories/{id}/validate", new { validatedBy = "storyteller" });
        Assert.Equal(HttpStatusCode.OK, validated.StatusCode);
        var published = await (await _http.PostAsync($"/api/v1/stories/{id}/publish", null)).Content.ReadFromJsonAsync<JsonObject>();
        Assert.Equal("published", published!["status"]!.GetValue<string>());
        Assert.Equal("storyteller", published["validatedBy"]!.GetValue<string>());
        Assert.NotNull(published["consentRecordedAt"]);

        var read = await _http.GetFromJsonAsync<JsonObject>($"/api/v1/stories/{id}");
        Assert.Equal("The shared duty desk meant one call reached everyone.", read!["biggestDifference"]!.GetValue<string>());
        Assert.Equal("District nurse, 2025-09", read["title"]!.GetValue<string>());

        // Publishing again changes nothing: still four events after the draft.
        Assert.Equal(HttpStatusCode.OK, (await _http.PostAsync($"/api/v1/stories/{id}/publish", null)).StatusCode);
        Assert.Equal(4, await CountAsync($"select count(*) from mt_events where stream_id = 'record/{id}'"));
    }

    [Fact]
    public async Task The_event_store_holds_only_ciphertext_of_the_narrative()
    {
        var created = await _http.PostAsJsonAsync("/api/v1/stories", Story(biggestDifference: "Marrowbrook huddles changed the week."));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonObject>())!["storyId"]!.GetValue<string>();
        Assert.Equal(1, await CountAsync($"""
            select count(*) from mt_events where stream_id = 'record/{id}' and type = 'CaseRecordDraftedV1'
            and data -> 'narrative' ->> 'algorithm' = 'AES-256-GCM' and length(data -> 'narrative' ->> 'ciphertext') > 20
            """));
        Assert.Empty(await Databases.TablesContainingAsync(fixture.Database, "marrowbrook"));
    }

    public static TheoryData<string, object, string, int, int, string> IdentifyingText => new()
    {
        { "/api/v1/stories", Story(biggestDifference: "Her NHS number 943 476 5919 was on the form."), "biggestDifference", 15, 12, "nhs_number" },
        { "/api/v1/stories", Story(risks: "Email jo.bloggs@example.org about it."), "risks", 6, 21, "email" },
        { "/api/v1/stories", Story(risks: "Ring 07700 900123 after six."), "risks", 5, 12, "phone" },
        { "/api/v1/stories", Story(risks: "She moved to NW1 2DB."), "risks", 13, 7, "postcode" },
        { "/api/v1/stories", Story(risks: "Born 14/03/1947, lives alone."), "risks", 5, 10, "date_of_birth" },
        {
            "/api/v1/case-studies",
            new { pseudonym = "Mr T", month = "2025-08", situation = "Lives alone.", systemRisks = new[] { new { type = "fire", description = "Smokes in bed; call 020 7946 0958." } } },
            "systemRisks[0].description", 20, 13, "phone"
        },
        {
            "/api/v1/theographs",
            new { pseudonym = "Mrs Q", events = new[] { new { date = "2025-03-02", setting = "ae", note = "DOB 1 May 1940" } } },
            "events[0].note", 4, 10, "date_of_birth"
        },
    };

    [Theory]
    [MemberData(nameof(IdentifyingText))]
    public async Task Identifying_data_is_refused_with_its_field_and_span_and_nothing_is_stored(string path, object request,
        string field, int start, int length, string kind)
    {
        var before = await CountAsync("select count(*) from mt_events");
        var response = await _http.PostAsJsonAsync(path, request);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>();
        var error = Assert.Single(problem!["errors"]!.AsArray());
        Assert.Equal((field, start, length, kind), (error!["field"]!.GetValue<string>(), error["start"]!.GetValue<int>(),
            error["length"]!.GetValue<int>(), error["kind"]!.GetValue<string>()));
        Assert.Equal(before, await CountAsync("select count(*) from mt_events"));
    }

    [Fact]
    public async Task The_openapi_document_lists_every_collection()
    {
        var document = await _http.GetStringAsync("/openapi/v1.json");
        foreach (var path in new[] { "/api/v1/stories", "/api/v1/case-studies/{recordId}/withdraw", "/api/v1/theographs", "/api/v1/realist-records" })
            Assert.Contains($"\"{path}\"", document);
        Assert.DoesNotContain("narrative-keys", document);
    }

    [Fact]
    public async Task Near_misses_are_stored()
    {
        var response = await _http.PostAsJsonAsync("/api/v1/stories", Story(
            biggestDifference: "Form 1234567890 was filed in March 2024; the team covers NW1 and rang 111.",
            risks: "Admitted on 14/03/2025; score 0.75."));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task Bad_fields_are_all_named_and_nothing_is_stored()
    {
        var before = await CountAsync("select count(*) from mt_events");
        var response = await _http.PostAsJsonAsync("/api/v1/case-studies", new
        {
            month = "2025-13", situation = "", systemRisks = new[] { new { type = "volcano", description = "" } }, unitIds = new[] { "no spaces" },
        });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var fields = (await response.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!.AsArray().Select(e => e!["field"]!.GetValue<string>()).ToList();
        Assert.Equal(["pseudonym", "month", "unitIds[0]", "situation", "systemRisks[0].type"], fields);
        Assert.Equal(before, await CountAsync("select count(*) from mt_events"));
    }

    [Fact]
    public async Task A_replayed_post_with_the_same_idempotency_key_changes_nothing()
    {
        async Task<JsonObject> PostAsync(object body)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/stories") { Content = JsonContent.Create(body) };
            request.Headers.Add("Idempotency-Key", "story-replay-1");
            var response = await _http.SendAsync(request);
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        }
        var first = await PostAsync(Story());
        var second = await PostAsync(Story());
        Assert.Equal(first["storyId"]!.GetValue<string>(), second["storyId"]!.GetValue<string>());
        Assert.Equal(1, await CountAsync($"select count(*) from mt_events where stream_id = 'record/{first["storyId"]}'"));

        using var other = new HttpRequestMessage(HttpMethod.Post, "/api/v1/stories") { Content = JsonContent.Create(Story(risks: "Something else.")) };
        other.Headers.Add("Idempotency-Key", "story-replay-1");
        Assert.Equal(HttpStatusCode.Conflict, (await _http.SendAsync(other)).StatusCode);
        Assert.Equal(1, await CountAsync($"select count(*) from mt_events where stream_id = 'record/{first["storyId"]}'"));
    }

    [Fact]
    public async Task Withdrawal_keeps_the_record_but_not_its_narrative()
    {
        var id = (await (await _http.PostAsJsonAsync("/api/v1/stories", Story())).Content.ReadFromJsonAsync<JsonObject>())!["storyId"]!.GetValue<string>();
        var withdrawn = await _http.PostAsJsonAsync($"/api/v1/stories/{id}/withdraw", new { reason = "storyteller_request" });
        Assert.Equal(HttpStatusCode.OK, withdrawn.StatusCode);
        var read = await _http.GetFromJsonAsync<JsonObject>($"/api/v1/stories/{id}");
        Assert.Equal(("withdrawn", "District nurse", "2025-09"), (read!["status"]!.GetValue<string>(), read["role"]!.GetValue<string>(), read["month"]!.GetValue<string>()));
        Assert.Null(read["biggestDifference"]);
        Assert.Equal(0, await CountAsync($"select count(*) from narrative_keys where record_id = '{id}'"));
        Assert.Equal(HttpStatusCode.Conflict, (await _http.PostAsJsonAsync($"/api/v1/stories/{id}/validate", new { validatedBy = "storyteller" })).StatusCode);
        using (var noSecret = fixture.Host.CreateClient())
        {
            noSecret.DefaultRequestHeaders.Remove(Operator.Header);
            Assert.Equal(HttpStatusCode.Unauthorized, (await noSecret.GetAsync($"/internal/v1/narrative-keys/{id}")).StatusCode);
        }
        using var keyRequest = new HttpRequestMessage(HttpMethod.Get, $"/internal/v1/narrative-keys/{id}");
        keyRequest.Headers.Add("X-Icp-Service-Secret", CaseStudiesHost.ServiceSecret);
        Assert.Equal(HttpStatusCode.Gone, (await _http.SendAsync(keyRequest)).StatusCode);
    }
}

public sealed class DemoDataTests(CaseStudiesApiFixture fixture) : IClassFixture<CaseStudiesApiFixture>
{
    [Fact]
    public async Task The_demo_records_pass_validation_and_the_identifying_data_screen_and_publish()
    {
        var http = fixture.Host.CreateClient();
        var all = Icp.DemoData.CaseStudiesDemo.Stories.Select(s => ("stories", s.Item1, s.Item2))
            .Concat(Icp.DemoData.CaseStudiesDemo.CaseStudies.Select(s => ("case-studies", s.Item1, s.Item2)))
            .Concat(Icp.DemoData.CaseStudiesDemo.Theographs.Select(s => ("theographs", s.Item1, s.Item2)))
            .Append(("realist-records", "demo-realist-east", Icp.DemoData.CaseStudiesDemo.ProgrammeTheory));
        foreach (var (segment, id, body) in all)
        {
            var put = await http.PutAsJsonAsync($"/api/v1/{segment}/{id}", body);
            Assert.True(put.StatusCode == HttpStatusCode.Created, $"{segment}/{id}: {(int)put.StatusCode} {await put.Content.ReadAsStringAsync()}");
            Assert.Equal(HttpStatusCode.OK, (await http.PostAsJsonAsync($"/api/v1/{segment}/{id}/validate", new { validatedBy = "storyteller (demo)" })).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await http.PostAsJsonAsync($"/api/v1/{segment}/{id}/publish", new { })).StatusCode);
            // Loading the demo twice changes nothing.
            Assert.Equal(HttpStatusCode.OK, (await http.PutAsJsonAsync($"/api/v1/{segment}/{id}", body)).StatusCode);
        }
    }
}

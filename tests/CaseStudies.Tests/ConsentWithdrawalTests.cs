using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Icp.TestSupport;
using Xunit;

namespace Icp.CaseStudies.Tests;

/// <summary>Both services in process on their own databases, talking through a real RabbitMQ virtual host.</summary>
public sealed class PlatformFixture : IAsyncLifetime
{
    public string CaseStudiesDatabase { get; private set; } = "";
    public string ProjectionsDatabase { get; private set; } = "";
    public string VirtualHost { get; private set; } = "";
    public CaseStudiesHost CaseStudies { get; private set; } = null!;
    public ProjectionsHost Projections { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        CaseStudiesDatabase = await TestInfrastructure.CreateDatabaseAsync("csw");
        ProjectionsDatabase = await TestInfrastructure.CreateDatabaseAsync("prw");
        VirtualHost = await TestInfrastructure.CreateVirtualHostAsync("csw");
        CaseStudies = new CaseStudiesHost(CaseStudiesDatabase, VirtualHost);
        Projections = new ProjectionsHost(ProjectionsDatabase, VirtualHost, CaseStudies);
        await Projections.CreateClient().WaitUntilReadyAsync("the projection service");
        CaseStudies.CreateClient();
    }

    public async Task DisposeAsync()
    {
        await Projections.DisposeAsync();
        await CaseStudies.DisposeAsync();
        await TestInfrastructure.DropDatabaseAsync(CaseStudiesDatabase);
        await TestInfrastructure.DropDatabaseAsync(ProjectionsDatabase);
        await TestInfrastructure.DeleteVirtualHostAsync(VirtualHost);
    }
}

public sealed class ConsentWithdrawalTests(PlatformFixture platform) : IClassFixture<PlatformFixture>
{
    private readonly HttpClient _caseStudies = platform.CaseStudies.CreateClient();
    private readonly HttpClient _projections = platform.Projections.CreateClient();

    private async Task<string> PublishAsync(string path, string idField, object body)
    {
        var created = await _caseStudies.PostAsJsonAsync(path, body);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonObject>())![idField]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.OK, (await _caseStudies.PostAsJsonAsync($"{path}/{id}/validate", new { validatedBy = "storyteller" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _caseStudies.PostAsync($"{path}/{id}/publish", null)).StatusCode);
        return id;
    }

    private async Task<JsonArray> SearchAsync(string query) =>
        (await _projections.GetFromJsonAsync<JsonObject>($"/api/v1/library?{query}"))!["items"]!.AsArray();

    private async Task<JsonArray> AnnotationsAsync(string indicatorId, string unitId) =>
        (await _projections.GetFromJsonAsync<JsonObject>($"/api/v1/library/annotations/{indicatorId}/{unitId}"))!["annotations"]!.AsArray();

    [Fact]
    public async Task After_withdrawal_no_database_holds_the_narrative()
    {
        // "Quillfeather" is the narrative's marker; full-text search stores its stem "quillfeath", so search for that.
        const string marker = "quillfeath";
        var storyId = await PublishAsync("/api/v1/stories", "storyId", new
        {
            role = "Social worker", month = "2025-08", unitIds = new[] { "east" }, indicatorIds = new[] { "reablement" },
            periods = new[] { "2025-07", "2025-08" }, title = "The Quillfeather huddle",
            biggestDifference = "The Quillfeather huddle put the social worker and the district nurse in one room every morning.",
            differenceForPerson = "A man recovering from a fall was seen the same day.", tags = new[] { "huddle" },
        });
        var caseStudyId = await PublishAsync("/api/v1/case-studies", "caseStudyId", new
        {
            pseudonym = "Mr W", month = "2025-06", unitIds = new[] { "east" }, indicatorIds = new[] { "reablement" },
            situation = "Lives alone above a shop; repeated falls.", background = "Recently bereaved.",
            systemRisks = new[] { new { type = "falls", description = "Three falls in a month." } },
            recommendations = new[] { "Joint visit by OT and housing." }, outcome = "Rehoused on the ground floor.",
        });

        // The projection decrypts published narratives; search, filters and chart annotations see them.
        await TestInfrastructure.EventuallyAsync(async () => (await SearchAsync("q=quillfeather")).Count == 1, "the story is searchable");
        Assert.Equal(storyId, (await SearchAsync("q=quillfeather"))[0]!["recordId"]!.GetValue<string>());
        await TestInfrastructure.EventuallyAsync(async () => (await SearchAsync("riskType=falls")).Count == 1, "the case study is filterable");
        Assert.Empty(await SearchAsync("q=quillfeather&unitId=west"));
        Assert.Single(await SearchAsync("q=quillfeather&from=2025-07&to=2025-07"));
        Assert.Empty(await SearchAsync("q=quillfeather&from=2025-09"));
        var annotations = await AnnotationsAsync("reablement", "east");
        Assert.Equal(["2025-06 " + caseStudyId, "2025-07 " + storyId, "2025-08 " + storyId],
            annotations.Select(a => $"{a!["period"]} {a["recordId"]}"));
        Assert.Equal("The Quillfeather huddle", annotations[1]!["title"]!.GetValue<string>());
        var book = await _projections.GetStringAsync($"/api/v1/storybook?ids={storyId},{caseStudyId}");
        Assert.Contains("The Quillfeather huddle", book);

        // Positive control: the search below finds the narrative where it is legitimately readable.
        Assert.NotEmpty(await Databases.TablesContainingAsync(platform.ProjectionsDatabase, marker));
        // The write side never held it in clear, not even before withdrawal.
        Assert.Empty(await Databases.TablesContainingAsync(platform.CaseStudiesDatabase, marker));

        Assert.Equal(HttpStatusCode.OK, (await _caseStudies.PostAsync($"/api/v1/stories/{storyId}/withdraw", null)).StatusCode);

        await TestInfrastructure.EventuallyAsync(async () => (await _projections.GetAsync($"/api/v1/library/{storyId}")).StatusCode == HttpStatusCode.NotFound,
            "the withdrawn story leaves the library");
        Assert.Empty(await SearchAsync("q=quillfeather"));
        Assert.Equal(["2025-06 " + caseStudyId], (await AnnotationsAsync("reablement", "east")).Select(a => $"{a!["period"]} {a["recordId"]}"));
        Assert.Equal(HttpStatusCode.NotFound, (await _projections.GetAsync($"/api/v1/storybook?ids={storyId}")).StatusCode);

        Assert.Empty(await Databases.TablesContainingAsync(platform.CaseStudiesDatabase, marker));
        Assert.Empty(await Databases.TablesContainingAsync(platform.ProjectionsDatabase, marker));
        Assert.Empty(await Databases.TablesContainingAsync(platform.ProjectionsDatabase, "district nurse in one room"));

        // A rebuild replays the inbox (ciphertext only) and cannot bring it back: the key is gone at the source.
        Assert.Equal(HttpStatusCode.Accepted, (await _projections.PostAsync("/api/v1/admin/rebuild", null)).StatusCode);
        await TestInfrastructure.EventuallyAsync(async () => (await SearchAsync("riskType=falls")).Count == 1, "the rebuild restores the case study");
        Assert.Empty(await SearchAsync("q=quillfeather"));
        Assert.Empty(await Databases.TablesContainingAsync(platform.ProjectionsDatabase, marker));

        // What remains is the record's existence, for the audit trail.
        var record = await _caseStudies.GetFromJsonAsync<JsonObject>($"/api/v1/stories/{storyId}");
        Assert.Equal(("withdrawn", "Social worker", "2025-08"),
            (record!["status"]!.GetValue<string>(), record["role"]!.GetValue<string>(), record["month"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Theographs_and_realist_records_are_drawn_from_the_library()
    {
        var theographId = await PublishAsync("/api/v1/theographs", "theographId", new
        {
            pseudonym = "Mrs D", unitIds = new[] { "north" },
            events = new[]
            {
                new { date = "2025-01-04", setting = "ambulance", note = (string?)null, days = (int?)null },
                new { date = "2025-01-04", setting = "admission", note = (string?)"Chest infection", days = (int?)6 },
                new { date = "2025-02-10", setting = "gp", note = (string?)null, days = (int?)null },
            },
        });
        var realistId = await PublishAsync("/api/v1/realist-records", "realistRecordId", new
        {
            title = "North huddle theory", month = "2025-05", unitIds = new[] { "north" },
            outcomes = new[]
            {
                new
                {
                    name = "Sharing information",
                    cmocs = new[]
                    {
                        new
                        {
                            context = "Daily huddle", enablingContexts = new[] { "shared base" }, constrainingContexts = new[] { "separate IT" },
                            mechanism = "Staff trust each other's judgement", outcome = "Fewer repeat assessments",
                            evidence = new[] { new { source = "interview", reference = "I-04", summary = "Nurse described calling social care directly." } },
                        },
                    },
                },
            },
            themes = new[] { new { name = "Huddles", barriers = new[] { "rota gaps" }, enablers = new[] { "a chair who keeps time" } } },
        });

        await TestInfrastructure.EventuallyAsync(async () => (await _projections.GetAsync($"/api/v1/library/{theographId}/theograph.svg")).IsSuccessStatusCode,
            "the theograph is drawable");
        var svg = await _projections.GetAsync($"/api/v1/library/{theographId}/theograph.svg");
        Assert.Equal("image/svg+xml", svg.Content.Headers.ContentType!.MediaType);
        var text = await svg.Content.ReadAsStringAsync();
        Assert.Contains(">Ambulance (1)</text>", text);
        Assert.Contains(">Hospital admission (1)</text>", text);
        Assert.Contains(">GP (1)</text>", text);

        await TestInfrastructure.EventuallyAsync(async () => (await SearchAsync("theme=huddles&kind=realist")).Count == 1, "the realist record is filterable by theme");
        var view = await _projections.GetFromJsonAsync<JsonObject>("/api/v1/library/realist?unitId=north");
        var outcome = Assert.Single(view!["outcomes"]!.AsArray());
        Assert.Equal("Sharing information", outcome!["name"]!.GetValue<string>());
        var cmoc = Assert.Single(outcome["cmocs"]!.AsArray());
        Assert.Equal((realistId, "Staff trust each other's judgement"), (cmoc!["recordId"]!.GetValue<string>(), cmoc["mechanism"]!.GetValue<string>()));
        Assert.Equal("I-04", cmoc["evidence"]![0]!["reference"]!.GetValue<string>());
    }
}

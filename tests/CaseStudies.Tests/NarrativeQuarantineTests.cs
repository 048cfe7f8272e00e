using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Icp.CaseStudies.Domain;
using Icp.Contracts.CaseStudies;
using Icp.Projections.CaseStudies;
using Icp.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Icp.CaseStudies.Tests;

public sealed class NarrativeQuarantineTests(PlatformFixture platform) : IClassFixture<PlatformFixture>
{
    private readonly HttpClient _caseStudies = platform.CaseStudies.CreateClient();
    private readonly HttpClient _projections = platform.Projections.CreateClient();

    private async Task<string> DraftAndPublishAsync(string title, string biggestDifference)
    {
        // Written through the service, past the HTTP intake (which refuses control characters): as a record stored
        // before that check existed would be.
        var records = platform.CaseStudies.Services.GetRequiredService<CaseRecordService>();
        var id = CaseRecordService.NewRecordId(RecordKinds.Story);
        var narrative = new CaseRecordNarrative(title, ["huddle"],
            Story: new StoryNarrative(biggestDifference, "Seen the same day.", "None.", "Better.", "A fall."));
        var written = await records.WriteAsync(RecordKinds.Story, id, new RecordDraft("District nurse", "2025-05", ["east"], [], [], narrative),
            CancellationToken.None);
        Assert.Equal(WriteOutcome.Created, written.Outcome);
        await _caseStudies.PostAsJsonAsync($"/api/v1/stories/{id}/validate", new { validatedBy = "storyteller" }).ExpectAsync(HttpStatusCode.OK);
        await _caseStudies.PostAsync($"/api/v1/stories/{id}/publish", null).ExpectAsync(HttpStatusCode.OK);
        return id;
    }

    [Fact]
    public async Task A_published_narrative_that_cannot_be_stored_is_quarantined_and_the_others_are_still_hydrated()
    {
        var poisoned = await DraftAndPublishAsync("Huddle\u0000story", "The morning huddle.");
        var clean = await DraftAndPublishAsync("Duty desk story", "The duty desk answered on the first ring.");

        await TestInfrastructure.EventuallyAsync(async () =>
            (await _projections.GetAsync($"/api/v1/library/{clean}")).IsSuccessStatusCode
            && (await _projections.GetFromJsonAsync<JsonElement>($"/api/v1/admin/quarantine?readModel={CaseStudyNarrativeHydrator.ConsumerName}"))
                .GetProperty("entries").GetArrayLength() == 1, "the clean story hydrated and the poisoned one quarantined");

        var entry = (await _projections.GetFromJsonAsync<JsonElement>("/api/v1/admin/quarantine")).GetProperty("entries")
            .EnumerateArray().Single(e => e.GetProperty("consumer").GetString() == CaseStudyNarrativeHydrator.ConsumerName);
        Assert.StartsWith(poisoned + "@", entry.GetProperty("itemId").GetString());
        Assert.Matches("^PostgreSQL 22(P05|021)", entry.GetProperty("error").GetString()); // NUL refused by jsonb or text
        var library = await _projections.GetFromJsonAsync<JsonElement>("/api/v1/library?q=duty");
        Assert.Equal(clean, library.GetProperty("items")[0].GetProperty("recordId").GetString());

        // A retry hands it back to the hydrator, which sets it aside again (nothing has fixed it).
        var retry = await _projections.PostAsync($"/api/v1/admin/quarantine/retry?readModel={CaseStudyNarrativeHydrator.ConsumerName}", null)
            .ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(1, retry.GetProperty("retried").GetInt32());
        await TestInfrastructure.EventuallyAsync(async () =>
            (await _projections.GetFromJsonAsync<JsonElement>("/api/v1/admin/quarantine")).GetProperty("total").GetInt64() == 1,
            "the narrative set aside again");
    }
}

using System.Net;
using System.Text;
using Icp.TestSupport;
using Xunit;

namespace Icp.CaseStudies.Tests;

/// <summary>Hostile and careless input to the case studies service: each refused whole, with the field named.</summary>
public sealed class StrictIntakeTests(CaseStudiesApiFixture fixture) : IClassFixture<CaseStudiesApiFixture>
{
    private readonly HttpClient _http = fixture.Host.CreateClient();

    private Task<HttpResponseMessage> PostStoryAsync(string json) =>
        _http.PostAsync("/api/v1/stories", new StringContent(json, Encoding.UTF8, "application/json"));

    private const string Story = """
        "role": "District nurse", "month": "2025-09", "unitIds": ["east"], "biggestDifference": "The duty desk.",
        "differenceForPerson": "Seen the same day.", "risks": "A fall.", "howOutcomeChanged": "Better.", "otherwise": "Admission."
        """;

    [Fact]
    public async Task Control_characters_unknown_fields_and_repeated_keys_are_refused_by_field()
    {
        await using var db = Npgsql.NpgsqlDataSource.Create(TestInfrastructure.ConnectionString(fixture.Database));
        await using var count = db.CreateCommand("select count(*) from mt_events");
        var before = (long)(await count.ExecuteScalarAsync())!;
        var nul = await PostStoryAsync("{" + Story.Replace("The duty desk.", "The duty\\u0000desk.") + "}").ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Equal([((int?)null, "biggestDifference")], nul.Errors());

        var unknown = await PostStoryAsync("{" + Story + """, "patientName": "A Person" }""").ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Equal([((int?)null, "patientName")], unknown.Errors());
        Assert.DoesNotContain("Icp.", unknown.ToString());

        var repeated = await PostStoryAsync("{" + Story + """, "risks": "Another." }""").ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Equal([((int?)null, "risks")], repeated.Errors());

        var wrongKind = await PostStoryAsync("{" + Story.Replace("\"unitIds\": [\"east\"]", "\"unitIds\": \"east\"") + "}")
            .ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Equal([((int?)null, "unitIds")], wrongKind.Errors());

        Assert.Equal(before, (long)(await count.ExecuteScalarAsync())!);
        await PostStoryAsync("{" + Story + "}").ExpectAsync(HttpStatusCode.Created); // the same story, clean, is stored
        Assert.Equal(before + 1, (long)(await count.ExecuteScalarAsync())!);
    }
}

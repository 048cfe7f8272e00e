using System.Net;
using System.Net.Http.Json;
using System.Text;
using Icp.TestSupport;
using Xunit;

namespace Icp.Referrals.Tests;

/// <summary>Hostile and careless input to the referrals service: each refused whole, with the field named.</summary>
public sealed class StrictIntakeTests(ReferralsHost host) : IClassFixture<ReferralsHost>
{
    private HttpClient Client => host.Client;

    private Task<long> EventsAsync() => host.ScalarAsync("select count(*) from mt_events");

    private static object Received(string referralId, string date = "2025-03-03") =>
        new { referralId, step = "received", date, unitId = "east", source = "gp", destination = "district-nursing" };

    [Fact]
    public async Task Submission_ids_follow_the_one_rule_for_ids_up_to_100_characters()
    {
        var id = new string('s', 100);
        await Client.PostAsJsonAsync("/api/v1/referrals/bulk", new { submissionId = id, source = "epr", rows = new[] { Received("R-ID-1") } })
            .ExpectAsync(HttpStatusCode.Accepted);
        var tooLong = await Client.PostAsJsonAsync("/api/v1/referrals/bulk",
            new { submissionId = id + "s", source = "epr", rows = new[] { Received("R-ID-2") } }).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Equal([((int?)null, "submissionId")], tooLong.Errors());
        Assert.Contains("1–100", tooLong.GetProperty("errors")[0].GetProperty("message").GetString());
    }

    [Fact]
    public async Task The_same_submission_id_with_other_steps_is_a_conflict_and_stores_nothing()
    {
        await Client.PostAsJsonAsync("/api/v1/referrals/bulk", new { submissionId = "b-1", source = "epr", rows = new[] { Received("R-C-1") } })
            .ExpectAsync(HttpStatusCode.Accepted);
        var before = await EventsAsync();
        var conflict = await Client.PostAsJsonAsync("/api/v1/referrals/bulk",
            new { submissionId = "b-1", source = "epr", rows = new[] { Received("R-C-1"), Received("R-C-2") } }).ExpectAsync(HttpStatusCode.Conflict);
        Assert.Contains("other steps", conflict.GetProperty("detail").GetString());
        Assert.Equal(before, await EventsAsync());
        // The same steps again, sent as CSV this time: a replay.
        await Client.PostCsvAsync("/api/v1/referrals/bulk?source=epr&submissionId=b-1",
            "referral_id,step,date,unit_id,source,destination\nR-C-1,received,2025-03-03,east,gp,district-nursing\n").ExpectAsync(HttpStatusCode.Accepted);
        Assert.Equal(before, await EventsAsync());
    }

    [Fact]
    public async Task Control_characters_duplicate_keys_and_columns_are_refused_with_the_field_named()
    {
        var before = await EventsAsync();
        var nul = await Client.PostAsync("/api/v1/referrals", new StringContent(
            """{ "referralId": "R\u0000X", "step": "received", "date": "2025-03-03", "unitId": "east", "source": "gp", "destination": "dn" }""",
            Encoding.UTF8, "application/json")).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Equal([((int?)null, "referralId")], nul.Errors());

        var duplicate = await Client.PostAsync("/api/v1/referrals/bulk", new StringContent(
            """{ "submissionId": "d-1", "rows": [ { "referralId": "R-D-1", "referralId": "R-D-2", "step": "received", "date": "2025-03-03" } ] }""",
            Encoding.UTF8, "application/json")).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Equal([((int?)1, "referralId")], duplicate.Errors());

        var csv = await Client.PostCsvAsync("/api/v1/referrals/bulk?source=epr&submissionId=d-2",
            "referral_id,step,date,step\nR-D-3,received,2025-03-03,received\n").ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Contains(((int?)null, "step"), csv.Errors());
        var cell = await Client.PostCsvAsync("/api/v1/referrals/bulk?source=epr&submissionId=d-3",
            "referral_id,step,date,unit_id,source,destination\nR-D-4\u0007,received,2025-03-03,east,gp,district-nursing\n")
            .ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Equal([((int?)1, "referral_id")], cell.Errors());
        Assert.Equal(before, await EventsAsync());
    }
}

using System.Net;
using System.Net.Http.Json;
using Icp.Contracts.Referrals;
using Icp.TestSupport;
using Xunit;

namespace Icp.Referrals.Tests;

public sealed class ReferralApiTests(ReferralsHost host) : IClassFixture<ReferralsHost>
{
    private HttpClient Client => host.Client;

    private Task<long> EventsOfAsync(string referralId) =>
        host.ScalarAsync("select count(*) from mt_events where stream_id = $1", $"referral/{referralId}");

    private Task<HttpResponseMessage> Receive(string referralId, string date = "2025-03-03") =>
        Client.PostAsJsonAsync("/api/v1/referrals?source=gp-system", new { referralId, unitId = "east", source = "gp", destination = "district-nursing", date });

    [Fact]
    public async Task A_referral_goes_through_its_lifecycle_and_each_step_is_published()
    {
        var received = await Receive("R-100").ExpectAsync(HttpStatusCode.Created);
        Assert.Equal("received", received.GetProperty("stage").GetString());
        await Client.PostAsJsonAsync("/api/v1/referrals/R-100/triage", new { date = "2025-03-04", outcome = "accepted" }).ExpectAsync(HttpStatusCode.Created);
        await Client.PostAsJsonAsync("/api/v1/referrals/R-100/assessment", new { date = "2025-03-13" }).ExpectAsync(HttpStatusCode.Created);
        await Client.PostAsJsonAsync("/api/v1/referrals/R-100/service-start", new { date = "2025-03-20" }).ExpectAsync(HttpStatusCode.Created);
        var discharged = await Client.PostAsJsonAsync("/api/v1/referrals/R-100/discharge", new { date = "2025-05-01", reason = "positive" })
            .ExpectAsync(HttpStatusCode.Created);
        Assert.Equal("discharged", discharged.GetProperty("stage").GetString());

        var fetched = await Client.GetAsync("/api/v1/referrals/R-100").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(["ReferralReceivedV1", "ReferralTriagedV1", "ReferralAssessedV1", "ReferralServiceStartedV1", "ReferralDischargedV1"],
            fetched.GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("event").GetString()));
        Assert.Equal("gp-system", fetched.GetProperty("steps")[0].GetProperty("sourceSystem").GetString());

        // The subscriber handles messages concurrently, so the discharge may arrive before the earlier steps: wait for all.
        await TestInfrastructure.EventuallyAsync(() => Task.FromResult(
                host.Published.OfType<ReferralDischargedV1>().Any(d => d.ReferralId == "R-100")
                && host.Published.OfType<ReferralAssessedV1>().Any(a => a.ReferralId == "R-100")
                && host.Published.OfType<ReferralServiceStartedV1>().Any(a => a.ReferralId == "R-100")),
            "the steps published to RabbitMQ");
        var assessed = host.Published.OfType<ReferralAssessedV1>().Single(a => a.ReferralId == "R-100");
        Assert.Equal((10, "gp", new DateOnly(2025, 3, 3)), (assessed.DaysFromReferral, assessed.Source, assessed.ReceivedOn));
        Assert.Equal(7, host.Published.OfType<ReferralServiceStartedV1>().Single(a => a.ReferralId == "R-100").DaysFromAssessment);

        var listed = await Client.GetAsync("/api/v1/referrals?unitId=east&stage=discharged").ExpectAsync(HttpStatusCode.OK);
        Assert.Contains(listed.EnumerateArray(), r => r.GetProperty("referralId").GetString() == "R-100");
    }

    [Fact]
    public async Task Steps_out_of_order_are_refused_with_a_clear_reason_and_store_nothing()
    {
        await Receive("R-200").ExpectAsync(HttpStatusCode.Created);
        var early = await Client.PostAsJsonAsync("/api/v1/referrals/R-200/assessment", new { date = "2025-03-10" }).ExpectAsync(HttpStatusCode.Conflict);
        Assert.Equal("Referral 'R-200' must be triaged before it is assessed.", early.GetProperty("detail").GetString());

        await Client.PostAsJsonAsync("/api/v1/referrals/R-200/triage", new { date = "2025-03-04", outcome = "declined_inappropriate" }).ExpectAsync(HttpStatusCode.Created);
        await Client.PostAsJsonAsync("/api/v1/referrals/R-200/service-start", new { date = "2025-03-12" }).ExpectAsync(HttpStatusCode.Conflict);
        var closed = await Client.PostAsJsonAsync("/api/v1/referrals/R-200/discharge", new { date = "2025-03-12", reason = "negative" }).ExpectAsync(HttpStatusCode.Conflict);
        Assert.Contains("closed at triage", closed.GetProperty("detail").GetString());
        await Client.PostAsJsonAsync("/api/v1/referrals/R-404/triage", new { date = "2025-03-04", outcome = "accepted" }).ExpectAsync(HttpStatusCode.Conflict);
        Assert.Equal(2, await EventsOfAsync("R-200"));
    }

    [Fact]
    public async Task The_same_step_again_answers_without_a_new_event_and_a_different_one_conflicts()
    {
        await Receive("R-300").ExpectAsync(HttpStatusCode.Created);
        await Receive("R-300").ExpectAsync(HttpStatusCode.OK);
        await Receive("R-300", date: "2025-03-04").ExpectAsync(HttpStatusCode.Conflict);
        Assert.Equal(1, await EventsOfAsync("R-300"));
    }

    [Fact]
    public async Task Two_conflicting_triages_sent_at_once_record_one_and_refuse_the_other()
    {
        await Receive("R-500").ExpectAsync(HttpStatusCode.Created);
        var answers = await Task.WhenAll(
            Client.PostAsJsonAsync("/api/v1/referrals/R-500/triage", new { date = "2025-03-04", outcome = "accepted" }),
            Client.PostAsJsonAsync("/api/v1/referrals/R-500/triage", new { date = "2025-03-04", outcome = "declined_inappropriate" }));
        Assert.Equal([HttpStatusCode.Created, HttpStatusCode.Conflict], answers.Select(a => a.StatusCode).Order());
        Assert.Equal(2, await EventsOfAsync("R-500"));
    }

    [Fact]
    public async Task Identifying_data_is_refused_and_nothing_is_stored()
    {
        var problem = await Client.PostAsJsonAsync("/api/v1/referrals", new
        {
            referralId = "R-400", unitId = "east", source = "gp", destination = "district-nursing", date = "2025-03-03",
            patientName = "someone", nhsNumber = "9434765919", address = "somewhere",
        }).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Equal([(null, "patientName"), (null, "nhsNumber"), (null, "address")], problem.Errors());

        var nhsId = await Client.PostAsJsonAsync("/api/v1/referrals", new { referralId = "9434765919", unitId = "east", source = "gp", destination = "district-nursing", date = "2025-03-03" })
            .ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Equal([(null, "referralId")], nhsId.Errors());
        Assert.Equal(0, await host.ScalarAsync("select count(*) from referrals where referral_id in ('R-400', '9434765919')"));
    }

    [Fact]
    public async Task The_openapi_document_describes_the_endpoints()
    {
        var document = await Client.GetAsync("/openapi/v1.json").ExpectAsync(HttpStatusCode.OK);
        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("/api/v1/referrals/bulk", paths);
        Assert.Contains("/api/v1/referrals/{referralId}/triage", paths);
    }
}

public sealed class ReferralBulkTests(ReferralsHost host) : IClassFixture<ReferralsHost>
{
    private HttpClient Client => host.Client;

    private static object[] Lifecycle(string id, string source) =>
    [
        new { referralId = id, step = "received", date = "2025-04-01", unitId = "west", source, destination = "reablement" },
        new { referralId = id, step = "triaged", date = "2025-04-02", outcome = "accepted" },
        new { referralId = id, step = "assessed", date = "2025-04-08" },
        new { referralId = id, step = "service_started", date = "2025-04-10" },
    ];

    [Fact]
    public async Task A_bulk_submission_is_stored_whole_and_a_replay_changes_nothing()
    {
        var rows = Lifecycle("B-1", "gp").Concat(Lifecycle("B-2", "housing")).Append(new { referralId = "B-1", step = "discharged", date = "2025-05-10", reason = "negative" }).ToArray();
        var submission = new { submissionId = "bulk-1", source = "community-epr", rows };
        var accepted = await Client.PostAsJsonAsync("/api/v1/referrals/bulk", submission).ExpectAsync(HttpStatusCode.Accepted);
        Assert.Equal(("bulk-1", 9, 9), (accepted.GetProperty("submissionId").GetString(), accepted.GetProperty("rows").GetInt32(), accepted.GetProperty("events").GetInt32()));

        var replay = await Client.PostAsJsonAsync("/api/v1/referrals/bulk", submission).ExpectAsync(HttpStatusCode.Accepted);
        Assert.Equal(accepted.ToString(), replay.ToString());
        Assert.Equal(9, await host.ScalarAsync("select count(*) from mt_events where stream_id like 'referral/B-%'"));

        var b1 = await Client.GetAsync("/api/v1/referrals/B-1").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("discharged", b1.GetProperty("stage").GetString());
        var status = await Client.GetAsync("/api/v1/referrals/submissions/bulk-1").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("community-epr", status.GetProperty("source").GetString());
    }

    [Fact]
    public async Task A_bulk_submission_with_bad_rows_names_each_row_stores_nothing_and_can_be_resubmitted()
    {
        object[] bad =
        [
            new { referralId = "C-1", step = "received", date = "2025-04-01", unitId = "west", source = "gp", destination = "reablement" },
            new { referralId = "C-1", step = "reviewed", date = "2025-04-02" },
            new { referralId = "C-2", step = "assessed", date = "2025-04-08" },
            new { referralId = "C-1", step = "triaged", date = "2025-07-02", outcome = "accepted" },
            new { referralId = "C-1", step = "triaged", date = "2025-03-02", outcome = "accepted" },
        ];
        var problem = await Client.PostAsJsonAsync("/api/v1/referrals/bulk", new { submissionId = "bulk-c", rows = bad }).ExpectAsync(HttpStatusCode.BadRequest);
        // Field checks come first (rows 2 and 4); the lifecycle is checked once every row is well formed.
        Assert.Equal([(2, "step"), (4, "date")], problem.Errors());

        object[] wellFormed = [bad[0], bad[2], bad[4]];
        var lifecycle = await Client.PostAsJsonAsync("/api/v1/referrals/bulk", new { submissionId = "bulk-c", rows = wellFormed }).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Equal([(2, "step"), (3, "date")], lifecycle.Errors());
        Assert.Equal(0, await host.ScalarAsync("select count(*) from referrals where referral_id like 'C-%'"));

        object[] good = [bad[0], new { referralId = "C-1", step = "triaged", date = "2025-04-02", outcome = "accepted" }];
        await Client.PostAsJsonAsync("/api/v1/referrals/bulk", new { submissionId = "bulk-c", rows = good }).ExpectAsync(HttpStatusCode.Accepted);
        Assert.Equal(2, await host.ScalarAsync("select count(*) from mt_events where stream_id = 'referral/C-1'"));
    }

    [Fact]
    public async Task A_failure_inside_the_transaction_leaves_nothing_half_applied()
    {
        var submission = new { submissionId = "bulk-d", rows = Lifecycle("D-1", "vcs") };
        await host.ScalarAsync("alter table referral_submissions rename to referral_submissions_away");
        try
        {
            using var failed = await Client.PostAsJsonAsync("/api/v1/referrals/bulk", submission);
            Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
        }
        finally
        {
            await host.ScalarAsync("alter table referral_submissions_away rename to referral_submissions");
        }
        Assert.Equal(0, await host.ScalarAsync("select count(*) from mt_events where stream_id in ('referral/D-1', 'submission/bulk-d')"));
        Assert.Equal(0, await host.ScalarAsync("select count(*) from referrals where referral_id = 'D-1'"));

        await Client.PostAsJsonAsync("/api/v1/referrals/bulk", submission).ExpectAsync(HttpStatusCode.Accepted);
        Assert.Equal(4, await host.ScalarAsync("select count(*) from mt_events where stream_id = 'referral/D-1'"));
    }

    [Fact]
    public async Task A_csv_submission_is_accepted_and_one_naming_identifying_data_is_refused()
    {
        const string csv = "referral_id,step,date,unit_id,source,destination,outcome,redirected_to,reason\n" +
                           "E-1,received,2025-04-01,west,mental-health,social-care,,,\n" +
                           "E-1,triaged,2025-04-03,,,,redirected,housing,\n";
        var accepted = await Client.PostCsvAsync("/api/v1/referrals/bulk?submissionId=csv-e&source=mh-trust", csv).ExpectAsync(HttpStatusCode.Accepted);
        Assert.Equal(2, accepted.GetProperty("events").GetInt32());
        var e1 = await Client.GetAsync("/api/v1/referrals/E-1").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("closed", e1.GetProperty("stage").GetString());

        var refused = await Client.PostCsvAsync("/api/v1/referrals/bulk?submissionId=csv-f", "referral_id,step,date,unit_id,source,destination,patient_name\nF-1,received,2025-04-01,west,gp,dn,Someone\n")
            .ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Equal([(null, "patient_name")], refused.Errors());
        await Client.GetAsync("/api/v1/referrals/F-1").ExpectAsync(HttpStatusCode.NotFound);
    }
}

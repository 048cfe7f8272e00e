using System.Net;
using System.Text.Json;
using Icp.TestSupport;
using Xunit;

namespace Icp.EndToEnd.Tests;

[Collection(PlatformCollection.Name)]
public sealed class ReferralIndicatorsTests(PlatformFixture platform)
{
    [Fact]
    public async Task Referral_records_become_monthly_indicators_charted_like_any_other()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var unit = $"ref-{suffix}";
        Assert.True((await platform.PutAsync($"/api/v1/units/{unit}", new { name = "Referral unit", kind = "neighbourhood" })).IsSuccessStatusCode);

        // March 2025: R1 (gp) accepted, assessed after 6 days, started 4 days later, discharged in April;
        //             R2 (gp) declined as inappropriate; R3 (self) redirected to housing.
        // April 2025: R4 (gp) accepted, assessed after 10 days.
        Dictionary<string, string> Row(string id, string step, string date, params (string Key, string Value)[] extra)
        {
            var row = new Dictionary<string, string> { ["referralId"] = $"{id}-{suffix}", ["step"] = step, ["date"] = date };
            foreach (var (key, value) in extra) row[key] = value;
            return row;
        }
        (string, string)[] Context(string source) => [("unitId", unit), ("source", source), ("destination", "reablement")];
        Dictionary<string, string>[] rows =
        [
            Row("R1", "received", "2025-03-03", Context("gp")),
            Row("R1", "triaged", "2025-03-04", ("outcome", "accepted")),
            Row("R1", "assessed", "2025-03-09"),
            Row("R1", "service_started", "2025-03-13"),
            Row("R1", "discharged", "2025-04-20", ("reason", "positive")),
            Row("R2", "received", "2025-03-05", Context("gp")),
            Row("R2", "triaged", "2025-03-06", ("outcome", "declined_inappropriate")),
            Row("R3", "received", "2025-03-10", Context("self")),
            Row("R3", "triaged", "2025-03-11", ("outcome", "redirected"), ("redirectedTo", "housing")),
            Row("R4", "received", "2025-04-02", Context("gp")),
            Row("R4", "triaged", "2025-04-03", ("outcome", "accepted")),
            Row("R4", "assessed", "2025-04-12"),
        ];
        var bulk = await platform.PostAsync("/api/v1/referrals/bulk", new { submissionId = $"refs-{suffix}", source = "epr", rows });
        Assert.True(bulk.StatusCode == HttpStatusCode.Accepted, await bulk.Content.ReadAsStringAsync());

        async Task<JsonElement[]> PointsAsync(string indicatorId, int count)
        {
            JsonElement[] points = [];
            await TestInfrastructure.EventuallyAsync(async () =>
            {
                if (await platform.TryGetJsonAsync($"/api/v1/spc/{indicatorId}/{unit}") is not { } chart) return false;
                points = chart.GetProperty("points").EnumerateArray().ToArray();
                return points.Length == count;
            }, $"{indicatorId} with {count} months");
            return points;
        }

        var referralsIn = await PointsAsync("referrals.in", 2);
        Assert.Equal([3.0, 1.0], referralsIn.Select(p => p.GetProperty("value").GetDouble()));
        var inappropriate = await PointsAsync("referrals.inappropriate", 2);
        Assert.Equal((1.0, 3.0), (inappropriate[0].GetProperty("numerator").GetDouble(), inappropriate[0].GetProperty("denominator").GetDouble()));
        Assert.Equal((0.0, 1.0), (inappropriate[1].GetProperty("numerator").GetDouble(), inappropriate[1].GetProperty("denominator").GetDouble()));
        var wait = await PointsAsync("referrals.days-to-assessment", 2);
        Assert.Equal([6.0, 10.0], wait.Select(p => p.GetProperty("value").GetDouble())); // 3 -> 9 March, 2 -> 12 April
        var share = await PointsAsync("referrals.share.source.gp", 2);
        Assert.Equal(2.0 / 3, share[0].GetProperty("value").GetDouble(), 12);
        var caseload = await PointsAsync("referrals.caseload", 2);
        Assert.Equal([1.0, 0.0], caseload.Select(p => p.GetProperty("value").GetDouble())); // R1 on the caseload at the end of March only
        var redirected = await PointsAsync("referrals.out.destination.housing", 2);
        Assert.Equal([1.0, 0.0], redirected.Select(p => p.GetProperty("value").GetDouble()));

        var listed = await platform.GetJsonAsync($"/api/v1/referral-indicators/{unit}");
        var ids = listed.GetProperty("indicators").EnumerateArray().Select(i => i.GetProperty("indicatorId").GetString()).ToList();
        Assert.Contains("referrals.share.source.gp", ids);
        Assert.Contains("referrals.out.destination.housing", ids);
        Assert.True(ids.IndexOf("referrals.in.source.gp") < ids.IndexOf("referrals.in.source.self")); // larger source first
    }
}

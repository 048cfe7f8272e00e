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

        // The submission's events reach the projection in several batches: wait for each chart to show them all.
        async Task<JsonElement[]> PointsAsync(string indicatorId, Func<JsonElement[], bool> complete)
        {
            JsonElement[] points = [];
            await TestInfrastructure.EventuallyAsync(async () =>
            {
                if (await platform.TryGetJsonAsync($"/api/v1/spc/{indicatorId}/{unit}") is not { } chart) return false;
                points = chart.GetProperty("points").EnumerateArray().ToArray();
                return complete(points);
            }, $"{indicatorId} to reflect every referral step");
            return points;
        }
        static double[] Values(JsonElement[] points, string field) =>
            points.Select(p => p.GetProperty(field) is { ValueKind: JsonValueKind.Number } v ? v.GetDouble() : double.NaN).ToArray();

        await PointsAsync("referrals.in", p => Values(p, "value").SequenceEqual([3.0, 1.0]));
        await PointsAsync("referrals.inappropriate", p =>
            Values(p, "numerator").SequenceEqual([1.0, 0.0]) && Values(p, "denominator").SequenceEqual([3.0, 1.0]));
        await PointsAsync("referrals.days-to-assessment", p => Values(p, "value").SequenceEqual([6.0, 10.0])); // 3 -> 9 March, 2 -> 12 April
        var share = await PointsAsync("referrals.share.source.gp", p => p.Length == 2);
        Assert.Equal(2.0 / 3, share[0].GetProperty("value").GetDouble(), 12);
        // R1 is on the caseload at the end of March, discharged (20 April) before the end of April.
        await PointsAsync("referrals.caseload", p => Values(p, "value").SequenceEqual([1.0, 0.0]));
        await PointsAsync("referrals.out.destination.housing", p => Values(p, "value").SequenceEqual([1.0, 0.0]));

        var listed = await platform.GetJsonAsync($"/api/v1/referral-indicators/{unit}");
        var ids = listed.GetProperty("indicators").EnumerateArray().Select(i => i.GetProperty("indicatorId").GetString()).ToList();
        Assert.Contains("referrals.share.source.gp", ids);
        Assert.Contains("referrals.out.destination.housing", ids);
        Assert.True(ids.IndexOf("referrals.in.source.gp") < ids.IndexOf("referrals.in.source.self")); // larger source first

        // Later: R4 starts its service on 15 April and R5 arrives in April. The charts as known before show neither.
        var before = DateTimeOffset.UtcNow;
        var later = await platform.PostAsync("/api/v1/referrals/bulk", new
        {
            submissionId = $"refs-later-{suffix}", source = "epr",
            rows = new[] { Row("R4", "service_started", "2025-04-15"), Row("R5", "received", "2025-04-20", Context("gp")) },
        });
        Assert.True(later.StatusCode == HttpStatusCode.Accepted, await later.Content.ReadAsStringAsync());
        await PointsAsync("referrals.in", p => Values(p, "value").SequenceEqual([3.0, 2.0]));
        await PointsAsync("referrals.caseload", p => Values(p, "value").SequenceEqual([1.0, 1.0]));
        async Task<double[]> AsOfAsync(string indicatorId) => Values((await platform.GetJsonAsync(
            $"/api/v1/spc/{indicatorId}/{unit}?asOf={Uri.EscapeDataString(before.ToString("O"))}")).GetProperty("points").EnumerateArray().ToArray(), "value");
        var (inThen, caseloadThen, daysToStartThen, housingThen) = (await AsOfAsync("referrals.in"), await AsOfAsync("referrals.caseload"),
            await AsOfAsync("referrals.days-to-start"), await AsOfAsync("referrals.out.destination.housing"));
        Assert.Equal([3.0, 1.0], inThen);
        Assert.Equal([1.0, 0.0], caseloadThen);
        Assert.Equal([4.0], daysToStartThen); // R1 only: assessed 9 March, started 13 March
        Assert.Equal([1.0, 0.0], housingThen);
    }

    [Fact]
    public async Task An_indicator_derived_from_referrals_is_compared_with_the_comparison_units()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var (borough, east, west) = ($"borough-r-{suffix}", $"east-r-{suffix}", $"west-r-{suffix}");
        Assert.True((await platform.PutAsync($"/api/v1/units/{borough}", new { name = "Borough", kind = "system" })).IsSuccessStatusCode);
        Assert.True((await platform.PutAsync($"/api/v1/units/{east}",
            new { name = "East", kind = "neighbourhood", parentId = borough, role = "intervention", goLive = "2025-03" })).IsSuccessStatusCode);
        Assert.True((await platform.PutAsync($"/api/v1/units/{west}",
            new { name = "West", kind = "neighbourhood", parentId = borough, role = "comparison" })).IsSuccessStatusCode);
        // East: 2 referrals in January, 1 in February; West: 1 in January, 3 in February.
        var received = new (string Unit, string Date)[] { (east, "2025-01-06"), (east, "2025-01-20"), (east, "2025-02-03"), (west, "2025-01-13"),
            (west, "2025-02-04"), (west, "2025-02-11"), (west, "2025-02-25") };
        var rows = received.Select((r, i) => new Dictionary<string, string>
        {
            ["referralId"] = $"C{i}-{suffix}", ["step"] = "received", ["date"] = r.Date, ["unitId"] = r.Unit, ["source"] = "gp", ["destination"] = "reablement",
        }).ToArray();
        Assert.Equal(HttpStatusCode.Accepted, (await platform.PostAsync("/api/v1/referrals/bulk", new { submissionId = $"cmp-r-{suffix}", source = "epr", rows })).StatusCode);

        JsonElement comparison = default;
        static double[] Values(JsonElement chart) => chart.GetProperty("points").EnumerateArray().Select(p => p.GetProperty("value").GetDouble()).ToArray();
        await TestInfrastructure.EventuallyAsync(async () =>
        {
            if (await platform.TryGetJsonAsync($"/api/v1/comparison/referrals.in/{east}") is not { } answer) return false;
            comparison = answer;
            return Values(comparison.GetProperty("intervention")).SequenceEqual([2.0, 1.0]) && comparison.GetProperty("comparisons").GetArrayLength() == 1
                && Values(comparison.GetProperty("comparisons")[0]).SequenceEqual([1.0, 3.0]);
        }, "both units' derived charts");
        Assert.Equal([west], comparison.GetProperty("comparisonUnitIds").EnumerateArray().Select(u => u.GetString()));
    }
}

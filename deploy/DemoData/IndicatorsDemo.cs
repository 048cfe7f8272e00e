namespace Icp.DemoData;

/// <summary>
/// The borough, the default catalogue of 18 signals and their monthly values from January 2023 to the last full month,
/// sent as one bulk feed per operational source. Levels follow DOMAIN.md (e.g. reablement 60–80% of 20–200, sickness
/// 3–6%). Genuine special causes: East's reablement rises after go-live and its inappropriate referrals fall (unique to
/// the intervention site), and so do its falls (one of the incident types); sickness absence spikes everywhere in
/// January 2025 (system-wide). The referral indicators
/// (referrals in, referrals out, inappropriate referrals, negative discharges) are counted from the demo's referral records.
/// A late revision of two months shows the revision history. Every value is generated per (unit, indicator) from a fixed
/// seed, month by month from January 2023, so a later load only adds months.
/// </summary>
public sealed class IndicatorsDemo(DateOnly today) : IDemoSection
{
    public string Name => "organisation, indicator catalogue and monthly feeds";

    private sealed record Value(string UnitId, string IndicatorId, string Period, double? Val = null, double? Num = null, double? Den = null,
        string? Category = null);

    /// <summary>Incident types of incidents-by-type and their share of a neighbourhood's monthly incidents.</summary>
    private static readonly (string Category, double Mean)[] IncidentTypes =
    [
        ("falls", 3.0), ("medication", 2.0), ("pressure-ulcers", 1.5), ("violence-aggression", 1.0),
        ("information-governance", 1.0), ("other", 0.5),
    ];

    public async Task LoadAsync(DemoClient client)
    {
        foreach (var (system, systemName) in DemoOrganisation.Systems)
            await client.Administrator.PutAsync($"/api/v1/units/{system}", new { name = systemName, kind = "system", role = "none" });
        foreach (var locality in DemoOrganisation.Neighbourhoods.Select(n => n.Locality).Distinct())
            await client.Administrator.PutAsync($"/api/v1/units/{locality}", new
            {
                name = locality, kind = "locality", parentId = DemoOrganisation.SystemOf(locality), role = "none",
            });
        foreach (var (id, name, locality, _) in DemoOrganisation.Neighbourhoods)
        {
            var intervention = id == DemoOrganisation.InterventionUnit;
            await client.Administrator.PutAsync($"/api/v1/units/{id}", new
            {
                name, kind = "neighbourhood", parentId = locality,
                role = intervention ? "intervention" : "comparison",
                goLive = intervention ? DemoOrganisation.GoLive.ToString("yyyy-MM") : null,
                attributes = intervention
                    ? new object[]
                    {
                        new { name = "co-location", value = "shared base at the health centre", from = "2024-06" },
                        new { name = "duty-desk", value = "multi-agency duty desk", from = "2024-10" },
                        new { name = "mdt-meetings", value = "weekly", from = "2024-11" },
                    }
                    : [],
            });
        }
        await client.Administrator.PostAsync("/api/v1/indicators/default-catalogue", new { });
        // The catalogue leaves indicators that exist alone: a platform loaded before incident types existed gets them here.
        await client.Administrator.PutAsync("/api/v1/indicators/incidents-by-type", new
        {
            name = "Incident reports by type", domain = "System flow", measure = "count", improvement = "neutral", chart = "xmr",
            unitLabel = "incidents", categories = IncidentTypes.Select(t => t.Category),
        });

        var values = Generate();
        var lastMonth = DemoOrganisation.LastFullMonth(today).ToString("yyyy-MM");
        foreach (var (source, indicators) in Sources)
        {
            var rows = values.Where(v => indicators.Contains(v.IndicatorId)).Select(ToRow).ToList();
            // The id carries a digest of the rows: a demo whose content changed is sent again to an existing platform
            // (unchanged values are no revisions), while the same demo loaded twice is one submission.
            var digest = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(rows)))[..8];
            await client.As(source, "feeds:write").PostAsync("/api/v1/feeds", new { source, submissionId = $"demo-{source}-to-{lastMonth}-{digest}", rows });
            Console.WriteLine($"[demo]   {source}: {rows.Count} rows");
        }

        // A late revision: the community health system corrects East's reablement for two months after go-live.
        var revised = values.Where(v => v is { UnitId: "east", IndicatorId: "reablement", Period: "2024-11" or "2024-12" })
            .Select(v => ToRow(v with { Num = Math.Min(v.Num!.Value + 2, v.Den!.Value) })).ToList();
        await client.As("community-health-epr", "feeds:write").PostAsync("/api/v1/feeds", new { source = "community-health-epr", submissionId = "demo-community-health-epr-correction-1", rows = revised });
    }

    /// <summary>Which operational system sends which indicators.</summary>
    private static readonly (string Source, string[] Indicators)[] Sources =
    [
        ("community-health-epr", ["staff-contacts", "contacts-seen", "reablement", "staff-caseload", "reviews-completed"]),
        ("referral-system", ["referrals-in", "referrals-out", "inappropriate-referrals", "negative-discharges"]),
        ("social-care-system", ["long-term-support", "small-care-package"]),
        ("workforce-system", ["sickness-days", "staff-turnover"]),
        ("incident-system", ["incidents", "incidents-by-type", "safeguarding-alerts"]),
        ("patient-experience", ["fft-positive", "compliments-complaints"]),
    ];

    private static object ToRow(Value v) =>
        v.Val is { } value ? new { unitId = v.UnitId, indicatorId = v.IndicatorId, category = v.Category, period = v.Period, value }
        : new { unitId = v.UnitId, indicatorId = v.IndicatorId, period = v.Period, numerator = v.Num, denominator = v.Den } as object;

    private List<Value> Generate()
    {
        var months = DemoOrganisation.Months(today).ToList();
        var values = new List<Value>();
        var referrals = DemoReferrals.Generate(DemoOrganisation.FirstMonth, DemoOrganisation.LastFullMonth(today), today.AddDays(-1));
        for (var u = 0; u < DemoOrganisation.Neighbourhoods.Length; u++)
        {
            var (unit, _, _, size) = DemoOrganisation.Neighbourhoods[u];
            var indicatorIndex = 0;
            foreach (var indicator in Sources.SelectMany(s => s.Indicators))
            {
                var random = new Random(10_000 * (u + 1) + ++indicatorIndex);
                foreach (var month in months)
                {
                    var period = month.ToString("yyyy-MM");
                    var live = unit == DemoOrganisation.InterventionUnit && month >= DemoOrganisation.GoLive;
                    var winter = month.Month is 12 or 1 or 2 ? 1 : 0;
                    if (indicator == "incidents-by-type")
                    {
                        // East's falls prevention work (a weekly MDT from November 2024) halves its falls from February 2025.
                        foreach (var (category, mean) in IncidentTypes)
                            values.Add(Count(unit, indicator, period, random,
                                mean * size * (category == "falls" && live && month >= new DateOnly(2025, 2, 1) ? 0.5 : 1), 0.3) with { Category = category });
                        continue;
                    }
                    values.Add(indicator switch
                    {
                        "staff-contacts" => Count(unit, indicator, period, random, 1800 * size * (1 + 0.08 * winter), 0.05),
                        "incidents" => Count(unit, indicator, period, random, 24 * size, 0.2),
                        "safeguarding-alerts" => Count(unit, indicator, period, random, 6 * size, 0.35),
                        "compliments-complaints" => Count(unit, indicator, period, random, 8 * size, 0.3),
                        "staff-caseload" => new Value(unit, indicator, period, Math.Round(22 + 1.5 * Normal(random), 1)),
                        "contacts-seen" => Proportion(unit, indicator, period, random, 1600 * size, 0.92 - 0.02 * winter),
                        "reablement" => Proportion(unit, indicator, period, random, 60 + 120 * random.NextDouble(),
                            0.68 + (live && month >= DemoOrganisation.GoLive.AddMonths(3) ? 0.12 : 0)),
                        "reviews-completed" => Proportion(unit, indicator, period, random, 80 * size, 0.85),
                        "long-term-support" => Proportion(unit, indicator, period, random, 300 * size, 0.35),
                        "small-care-package" => Proportion(unit, indicator, period, random, 300 * size, 0.25),
                        // System-wide: a flu wave in January 2025 doubles sickness absence in every neighbourhood.
                        "sickness-days" => Proportion(unit, indicator, period, random, 1100 * size, period == "2025-01" ? 0.095 : 0.045),
                        "staff-turnover" => Proportion(unit, indicator, period, random, 50 * size, 0.015),
                        "fft-positive" => Proportion(unit, indicator, period, random, 60 * size, 0.88),
                        _ => FromReferrals(unit, indicator, month, referrals),
                    });
                }
            }
        }
        return values;
    }

    private static Value FromReferrals(string unit, string indicator, DateOnly month, List<DemoReferral> referrals)
    {
        var period = month.ToString("yyyy-MM");
        bool In(DateOnly? d) => d is { } day && day.Year == month.Year && day.Month == month.Month;
        var ofUnit = referrals.Where(r => r.UnitId == unit);
        return indicator switch
        {
            "referrals-in" => new Value(unit, indicator, period, ofUnit.Count(r => In(r.ReceivedOn))),
            "referrals-out" => new Value(unit, indicator, period, ofUnit.Count(r => In(r.TriagedOn) && r.Outcome == "redirected")),
            "inappropriate-referrals" => new Value(unit, indicator, period,
                Num: ofUnit.Count(r => In(r.TriagedOn) && r.Outcome == "declined_inappropriate"), Den: ofUnit.Count(r => In(r.TriagedOn))),
            "negative-discharges" => new Value(unit, indicator, period,
                Num: ofUnit.Count(r => In(r.DischargedOn) && r.DischargeReason == "negative"), Den: ofUnit.Count(r => In(r.DischargedOn))),
            _ => throw new InvalidOperationException($"No generator for {indicator}."),
        };
    }

    private static Value Count(string unit, string indicator, string period, Random random, double mean, double relativeNoise) =>
        new(unit, indicator, period, Math.Max(0, Math.Round(mean * (1 + relativeNoise * Normal(random)))));

    private static Value Proportion(string unit, string indicator, string period, Random random, double size, double p)
    {
        var denominator = Math.Max(1, Math.Round(size * (1 + 0.05 * Normal(random))));
        var numerator = Math.Clamp(Math.Round(denominator * p + Math.Sqrt(denominator * p * (1 - p)) * Normal(random)), 0, denominator);
        return new(unit, indicator, period, Num: numerator, Den: denominator);
    }

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}

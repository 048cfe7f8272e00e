namespace Icp.DemoData;

/// <summary>
/// A borough with five neighbourhoods (East the intervention site, live October 2024) and monthly values from
/// January 2023 to the last full month. Placeholder until the full generator (18 signals, special causes) lands.
/// </summary>
public sealed class IndicatorsDemo(DateOnly today) : IDemoSection
{
    public string Name => "units, indicators and monthly feeds";

    public static readonly string[] Neighbourhoods = ["east", "west", "north", "south", "central"];

    public async Task LoadAsync(DemoClient client)
    {
        await client.PutAsync("/api/v1/units/camden", new { name = "Camden", kind = "system", role = "none" });
        foreach (var id in Neighbourhoods)
        {
            var intervention = id == "east";
            await client.PutAsync($"/api/v1/units/{id}", new
            {
                name = char.ToUpperInvariant(id[0]) + id[1..],
                kind = "neighbourhood",
                parentId = "camden",
                role = intervention ? "intervention" : "comparison",
                goLive = intervention ? "2024-10" : null,
            });
        }
        await client.PutAsync("/api/v1/indicators/reablement", new
        {
            name = "Successful reablement", domain = "Efficiency", measure = "proportion", improvement = "increase",
            target = 0.75, chart = "p", unitLabel = "%",
        });

        var random = new Random(20230101);
        var rows = new List<object>();
        var lastFullMonth = new DateOnly(today.Year, today.Month, 1).AddMonths(-1);
        foreach (var unit in Neighbourhoods)
        {
            for (var month = new DateOnly(2023, 1, 1); month <= lastFullMonth; month = month.AddMonths(1))
            {
                var denominator = random.Next(20, 200);
                var rate = 0.68 + (unit == "east" && month >= new DateOnly(2024, 10, 1) ? 0.08 : 0) + (random.NextDouble() - 0.5) * 0.1;
                rows.Add(new { unitId = unit, indicatorId = "reablement", period = month.ToString("yyyy-MM"),
                    numerator = (int)Math.Round(denominator * rate), denominator });
            }
        }
        await client.PostAsync("/api/v1/feeds", new { source = "demo", submissionId = "demo-reablement-1", rows });
    }
}

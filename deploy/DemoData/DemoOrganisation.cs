namespace Icp.DemoData;

/// <summary>
/// The demo boroughs: Camden (two localities, five neighbourhoods, East the intervention site) and Islington (one
/// locality, two neighbourhoods), so that people of one borough see its units only.
/// </summary>
public static class DemoOrganisation
{
    public const string InterventionUnit = "east";
    public static readonly DateOnly GoLive = new(2024, 10, 1);
    public static readonly DateOnly FirstMonth = new(2023, 1, 1);

    /// <summary>Neighbourhoods with a size factor (population relative to 40,000).</summary>
    public static readonly (string Id, string Name, string Locality, double Size)[] Neighbourhoods =
    [
        ("east", "East", "camden-south", 1.0),
        ("west", "West", "camden-north", 0.9),
        ("north", "North", "camden-north", 1.1),
        ("south", "South", "camden-south", 0.85),
        ("central", "Central", "camden-north", 1.2),
        ("holloway", "Holloway", "islington-central", 1.0),
        ("highbury", "Highbury", "islington-central", 0.95),
    ];

    public static readonly (string Id, string Name)[] Systems = [("camden", "Camden"), ("islington", "Islington")];

    /// <summary>A locality's system: the demo names localities after their borough.</summary>
    public static string SystemOf(string locality) => locality[..locality.IndexOf('-')];

    public static DateOnly LastFullMonth(DateOnly today) => new DateOnly(today.Year, today.Month, 1).AddMonths(-1);

    public static IEnumerable<DateOnly> Months(DateOnly today)
    {
        for (var m = FirstMonth; m <= LastFullMonth(today); m = m.AddMonths(1)) yield return m;
    }
}

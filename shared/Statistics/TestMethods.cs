namespace Icp.Statistics;

/// <summary>The p-value method strings reported by the Wilcoxon tests (as in R's result).</summary>
public static class TestMethods
{
    /// <summary>Exact null distribution.</summary>
    public const string Exact = "exact";

    /// <summary>Normal approximation with tie and continuity correction.</summary>
    public const string Normal = "normal";
}

namespace Icp.Spc.Tests;

internal static class TestData
{
    /// <summary>
    /// 12 points alternating 10, 11: mean 10.5, every moving range 1 so AMR = 1.
    /// Process limits 10.5 ± 2.66 = 7.84 / 13.16; near limits 10.5 ± 1.77333 = 8.72667 / 12.27333.
    /// No shift (sides alternate), no trend, nothing close.
    /// </summary>
    public static readonly double[] StableBaseline = [10, 11, 10, 11, 10, 11, 10, 11, 10, 11, 10, 11];

    public const double BaselineMean = 10.5;
    public const double BaselineUpl = 10.5 + 2.66;
    public const double BaselineLpl = 10.5 - 2.66;
    public const double BaselineNupl = 10.5 + 2 * 2.66 / 3;
    public const double BaselineNlpl = 10.5 - 2 * 2.66 / 3;

    /// <summary>The stable baseline followed by <paramref name="tail"/>, with limits frozen on the first 12 points.</summary>
    public static SpcResult XmrAfterBaseline(double[] tail, int shiftLength = 7, int trendLength = 7,
        ImprovementDirection improvement = ImprovementDirection.Increase, RuleSet rules = RuleSet.MakingDataCount) =>
        SpcEngine.Calculate(
            SpcInput.FromValues([.. StableBaseline, .. tail]),
            new SpcOptions
            {
                Chart = ChartType.XmR,
                BaselinePoints = 12,
                ShiftLength = shiftLength,
                TrendLength = trendLength,
                Improvement = improvement,
                Rules = rules,
            });

    public static SpcResult Xmr(double?[] values, SpcOptions? options = null) =>
        SpcEngine.Calculate(SpcInput.FromValues(values), options ?? new SpcOptions());

    /// <summary>Rules as contract strings, "-" for none, so whole series can be compared at a glance.</summary>
    public static string[] Rules(SpcResult result) =>
        result.Points.Select(p => p.Rule.ToContractString() ?? "-").ToArray();

    public static string[] PointTypes(SpcResult result) =>
        result.Points.Select(p => p.PointType.ToContractString() ?? "null").ToArray();

    public static string[] Repeat(string text, int count) => Enumerable.Repeat(text, count).ToArray();
}

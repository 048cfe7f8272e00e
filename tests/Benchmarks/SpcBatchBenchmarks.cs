using BenchmarkDotNet.Attributes;

namespace Icp.Spc.Benchmarks;

/// <summary>One operation = a batch of 10,000 series × 60 monthly points with all Making Data Count rules.</summary>
[MemoryDiagnoser]
public class SpcBatchBenchmarks
{
    public const int SeriesCount = 10_000;
    public const int Months = 60;

    private static readonly SpcOptions XmrOptions = new() { Chart = ChartType.XmR, Improvement = ImprovementDirection.Increase, Target = 100 };
    private static readonly SpcOptions POptions = new() { Chart = ChartType.P, Improvement = ImprovementDirection.Increase, Target = 0.95 };

    private SpcInput[] xmrInputs = [];
    private SpcInput[] pInputs = [];

    [GlobalSetup]
    public void Setup()
    {
        var values = MonthlySeriesGenerator.Values(SeriesCount, Months, seed: 20240401);
        xmrInputs = values.Select(v => SpcInput.FromValues(v)).ToArray();

        var (numerators, denominators) = MonthlySeriesGenerator.Proportions(SeriesCount, Months, seed: 20240402);
        pInputs = numerators.Select((n, i) => SpcInput.FromRatios(n, denominators[i])).ToArray();
    }

    [Benchmark(Description = "XmR, 10,000 series x 60 points, MDC rules")]
    public int XmrBatch()
    {
        int specialCauses = 0;
        foreach (var input in xmrInputs)
            specialCauses += CountSpecialCauses(SpcEngine.Calculate(input, XmrOptions));
        return specialCauses;
    }

    [Benchmark(Description = "P, 10,000 series x 60 points, MDC rules")]
    public int PBatch()
    {
        int specialCauses = 0;
        foreach (var input in pInputs)
            specialCauses += CountSpecialCauses(SpcEngine.Calculate(input, POptions));
        return specialCauses;
    }

    private static int CountSpecialCauses(SpcResult result) =>
        result.VariationIcon == VariationIcon.CommonCause ? 0 : 1;
}

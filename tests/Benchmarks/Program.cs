using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Icp.Spc;
using Icp.Spc.Benchmarks;

if (args.Contains("--feed-ingest"))
{
    await FeedIngestLoad.RunAsync(args);
    return;
}

if (args.Contains("--freshness"))
{
    await FreshnessLoad.RunAsync(args);
    return;
}

if (args.Contains("--pipeline"))
{
    await PipelineLoad.RunAsync(args);
    return;
}

if (args.Contains("--referral-bulk"))
{
    await ReferralBulkLoad.RunAsync(args);
    return;
}

if (args.Contains("--dashboard"))
{
    await DashboardLoad.RunAsync();
    return;
}

if (args.Contains("--summary"))
{
    PrintSummary();
    return;
}

// In-process toolchain: BenchmarkDotNet 0.14 does not know the net10.0 moniker. A short job (one launch, a few
// warm-ups, 15 measured batches) keeps the run under a minute on a shared 2-core machine.
var config = DefaultConfig.Instance
    .AddJob(Job.ShortRun
        .WithToolchain(InProcessEmitToolchain.Instance)
        .WithWarmupCount(5)
        .WithIterationCount(15)
        .WithId("Short-InProcess"))
    .WithOptions(ConfigOptions.DisableOptimizationsValidator);
BenchmarkSwitcher.FromAssembly(typeof(SpcBatchBenchmarks).Assembly).Run(args, config);

// Describes the generated data, so the benchmark's workload can be checked for realism.
static void PrintSummary()
{
    var benchmarks = new SpcBatchBenchmarks();
    benchmarks.Setup();
    Console.WriteLine($"XmR batch: {benchmarks.XmrBatch()} of {SpcBatchBenchmarks.SeriesCount} series end in special cause");
    Console.WriteLine($"P batch:   {benchmarks.PBatch()} of {SpcBatchBenchmarks.SeriesCount} series end in special cause");

    var values = MonthlySeriesGenerator.Values(SpcBatchBenchmarks.SeriesCount, SpcBatchBenchmarks.Months, seed: 20240401);
    int flagged = 0;
    foreach (var series in values)
    {
        var result = SpcEngine.Calculate(SpcInput.FromValues(series), new SpcOptions());
        foreach (var point in result.Points)
            if (point.Rule is not null) flagged++;
    }
    Console.WriteLine($"XmR points with a rule: {flagged} of {SpcBatchBenchmarks.SeriesCount * SpcBatchBenchmarks.Months}");

    long before = GC.GetAllocatedBytesForCurrentThread();
    benchmarks.XmrBatch();
    long xmrBytes = GC.GetAllocatedBytesForCurrentThread() - before;
    before = GC.GetAllocatedBytesForCurrentThread();
    benchmarks.PBatch();
    long pBytes = GC.GetAllocatedBytesForCurrentThread() - before;
    Console.WriteLine($"Allocated per batch: XmR {xmrBytes:N0} B ({xmrBytes / SpcBatchBenchmarks.SeriesCount:N0} B per series), " +
        $"P {pBytes:N0} B ({pBytes / SpcBatchBenchmarks.SeriesCount:N0} B per series)");
}

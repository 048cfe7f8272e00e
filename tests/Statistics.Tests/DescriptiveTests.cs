namespace Icp.Statistics.Tests;

public class DescriptiveTests
{
    [Fact]
    public void Mean_sd_median_of_one_to_four()
    {
        double[] v = [1, 2, 3, 4];
        // mean (1+2+3+4)/4 = 2.5
        Assert.Equal(2.5, Descriptive.Mean(v));
        // deviations -1.5, -0.5, 0.5, 1.5; squares 2.25 + 0.25 + 0.25 + 2.25 = 5; /(n-1) = 5/3; sd = sqrt(5/3)
        Assert.Equal(1.2909944487358056, Descriptive.SampleStandardDeviation(v)!.Value, 1e-15);
        // even n: mean of the two middle values (2 + 3)/2
        Assert.Equal(2.5, Descriptive.Median(v));
        // type 7 at 0.25: h = (4-1)*0.25 = 0.75 -> 1 + 0.75*(2-1) = 1.75
        Assert.Equal(1.75, Descriptive.Quantile(v, 0.25));
    }

    [Fact]
    public void Undefined_statistics_are_null()
    {
        Assert.Null(Descriptive.SampleStandardDeviation([4]));
        Assert.Null(Descriptive.Mean([]));
        Assert.Null(Descriptive.Median([]));
        // all equal: sd 0, not null
        Assert.Equal(0.0, Descriptive.SampleStandardDeviation([5, 5, 5]));
    }

    [Fact]
    public void Wave_descriptives_count_every_level_and_positive_share()
    {
        WaveDescriptives d = WaveComparison.Describe([1, 5, 5], 1, 5);
        Assert.Equal(3, d.N);
        Assert.Equal([1, 2, 3, 4, 5], d.Counts.Keys);
        Assert.Equal([1, 0, 0, 0, 2], d.Counts.Values);
        Assert.Equal(5.0, d.Median);
        // 2 of 3 answers are >= 4
        Assert.Equal(2.0 / 3.0, WaveComparison.PositiveShare([1, 5, 5], 4));
        Assert.Throws<ArgumentOutOfRangeException>(() => WaveComparison.Describe([6], 1, 5));
    }
}

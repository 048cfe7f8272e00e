namespace Icp.Statistics.Tests;

/// <summary>Expected values from Python 3 math.erfc (an independent C implementation).</summary>
public class NormalDistributionTests
{
    [Theory]
    [InlineData(0.5, 0.4795001221869535)]
    [InlineData(1.0, 0.15729920705028513)]
    [InlineData(3.0, 2.2090496998585438e-05)]
    [InlineData(10.0, 2.088487583762545e-45)]
    [InlineData(0.001, 0.9988716212090307)]
    [InlineData(0.1, 0.8875370839817152)]
    [InlineData(0.7, 0.32219880616258156)]
    [InlineData(1.5, 0.033894853524689274)]
    [InlineData(1.99, 0.004888586800383003)]
    [InlineData(2.0, 0.004677734981047265)]
    [InlineData(2.01, 0.004475150644751763)]
    [InlineData(2.5, 0.0004069520174449589)]
    [InlineData(4.0, 1.541725790028002e-08)]
    [InlineData(6.0, 2.1519736712498916e-17)]
    [InlineData(8.0, 1.1224297172982928e-29)]
    [InlineData(12.0, 1.3562611692059042e-64)]
    [InlineData(20.0, 5.3958656116079005e-176)]
    [InlineData(26.0, 5.663192408856143e-296)]
    public void Erfc_matches_reference_values(double x, double expected)
    {
        Assert.True(Math.Abs(NormalDistribution.Erfc(x) - expected) <= 1e-12 * expected,
            $"erfc({x}) = {NormalDistribution.Erfc(x):R}, expected {expected:R}");
    }

    [Fact]
    public void Cdf_and_two_sided_p()
    {
        Assert.Equal(0.9750021048517795, NormalDistribution.Cdf(1.96), 1e-15);
        Assert.Equal(0.5, NormalDistribution.Cdf(0));
        Assert.Equal(1.0, NormalDistribution.TwoSidedP(0));
        // symmetric in z
        Assert.Equal(NormalDistribution.TwoSidedP(2.5), NormalDistribution.TwoSidedP(-2.5));
    }
}

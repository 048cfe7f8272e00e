namespace Icp.Statistics.Tests;

public class SmallCellSuppressionTests
{
    [Theory]
    [InlineData(0, true)]
    [InlineData(1, true)]
    [InlineData(4, true)]
    [InlineData(5, false)] // exactly k respondents is shown
    [InlineData(30, false)]
    public void Default_threshold_is_five(int respondents, bool suppressed) =>
        Assert.Equal(suppressed, SmallCellSuppression.IsSuppressed(respondents));

    [Fact]
    public void Custom_threshold()
    {
        Assert.True(SmallCellSuppression.IsSuppressed(9, threshold: 10));
        Assert.False(SmallCellSuppression.IsSuppressed(10, threshold: 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => SmallCellSuppression.IsSuppressed(3, threshold: 0));
    }

    [Fact]
    public void Suppressed_cells_are_never_computed()
    {
        bool computed = false;
        SuppressibleCell<string> small = SmallCellSuppression.Apply("Team A", 4, () => { computed = true; return "x"; });
        Assert.True(small.Suppressed);
        Assert.Null(small.Value);
        Assert.False(computed);

        SuppressibleCell<string> ok = SmallCellSuppression.Apply("Team B", 5, () => "mean 3.2");
        Assert.False(ok.Suppressed);
        Assert.Equal("mean 3.2", ok.Value);
    }
}

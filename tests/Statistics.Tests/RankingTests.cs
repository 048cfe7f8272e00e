namespace Icp.Statistics.Tests;

public class RankingTests
{
    [Fact]
    public void Midranks_average_the_positions_a_tie_spans()
    {
        // values 3, 1, 4, 1, 5 sorted: 1, 1, 3, 4, 5 at positions 1..5.
        // The two 1s span positions 1 and 2 -> (1 + 2)/2 = 1.5; 3 -> 3; 4 -> 4; 5 -> 5.
        Assert.Equal([3.0, 1.5, 4.0, 1.5, 5.0], Ranking.MidRanks([3, 1, 4, 1, 5]));
    }

    [Fact]
    public void Midranks_of_a_three_way_tie()
    {
        // 7, 2, 2, 2: the three 2s span positions 1..3 -> (1 + 2 + 3)/3 = 2; 7 -> 4.
        Assert.Equal([4.0, 2.0, 2.0, 2.0], Ranking.MidRanks([7, 2, 2, 2]));
        // tie groups in ascending order of value: {2,2,2} size 3, {7} size 1
        Assert.Equal([3, 1], Ranking.TieGroupSizes([7, 2, 2, 2]));
        // sum of t^3 - t: (27 - 3) + (1 - 1) = 24
        Assert.Equal(24.0, Ranking.TieCorrectionSum([7, 2, 2, 2]));
    }

    [Fact]
    public void Ranks_without_ties_are_the_positions()
    {
        Assert.Equal([2.0, 3.0, 1.0], Ranking.MidRanks([20, 30, 10]));
        Assert.Equal(0.0, Ranking.TieCorrectionSum([20, 30, 10]));
    }
}

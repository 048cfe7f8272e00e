using static Icp.Spc.Tests.TestData;

namespace Icp.Spc.Tests;

/// <summary>Hand-worked edge cases of the Making Data Count rules. Limits are worked out in the comments.</summary>
public sealed class RuleTests
{
    // Shorthand for 12 baseline points without a rule.
    private static readonly string[] QuietBaseline = Repeat("-", 12);

    [Fact]
    public void An_equal_value_breaks_a_trend()
    {
        // 10,14,9,13,8,9,10,11,11,12,13,14,9,11: sum 154, mean 11.
        // MRs 4,5,4,5,1,1,1,0,1,1,1,5,2 = 31, AMR 31/13 = 2.3846; limits 11 ± 6.343, near 11 ± 4.229 (nothing close).
        // 8,9,10,11 rises (3 steps), 11→11 is flat, 11,12,13,14 rises (3 steps): no 7-point trend.
        // Sides - + - + - - - 0 0 + + + - 0: no shift.
        var result = Xmr([10, 14, 9, 13, 8, 9, 10, 11, 11, 12, 13, 14, 9, 11]);

        Assert.Equal(Repeat("-", 14), Rules(result));
        Assert.Equal(11, result.Phases[0].Mean!.Value, 12);
        Assert.Equal(31.0 / 13, result.Phases[0].Amr!.Value, 12);
    }

    [Fact]
    public void Seven_strictly_rising_points_are_a_trend()
    {
        // Same pattern without the repeated 11: 10,14,9,13,8,9,10,11,12,13,14,9,11: sum 143, mean 11,
        // MRs sum 31 over 12, AMR 2.5833; limits 11 ± 6.872, near 11 ± 4.581: nothing close or outside.
        // Indexes 4..10 (8,9,10,11,12,13,14) rise strictly: six steps, a 7-point trend, upwards = improvement.
        var result = Xmr([10, 14, 9, 13, 8, 9, 10, 11, 12, 13, 14, 9, 11]);

        Assert.Equal([.. Repeat("-", 4), .. Repeat("trend", 7), "-", "-"], Rules(result));
        Assert.Equal([.. Repeat("common_cause", 4), .. Repeat("improvement", 7), "common_cause", "common_cause"], PointTypes(result));
    }

    [Fact]
    public void A_point_on_the_mean_breaks_a_shift()
    {
        // 9,8,9,8 | 11,12,11,12 | 10 | 12,11,12,11 | 8,8,8: sum 160 over 16, mean exactly 10.
        // MRs 1,1,1,3,1,1,1,2,2,1,1,1,3,0,0 = 19, AMR 19/15 = 1.2667; limits 10 ± 3.369, near 10 ± 2.246 (7.754 / 12.246):
        // nothing close. Eight points above the mean, but index 8 sits exactly on it: runs of 4 and 4, no shift.
        var result = Xmr([9, 8, 9, 8, 11, 12, 11, 12, 10, 12, 11, 12, 11, 8, 8, 8]);

        Assert.Equal(10, result.Phases[0].Mean!.Value, 12);
        Assert.Equal(Repeat("-", 16), Rules(result));
        // Anhøj ignores the point on the centre: a run of 8 above, 15 useful points.
        Assert.Equal(15, result.Anhoej.NUseful);
        Assert.Equal(8, result.Anhoej.LongestRun);
    }

    [Fact]
    public void Without_the_point_on_the_mean_the_run_is_a_shift_and_close_points_score_two_of_three()
    {
        // Index 8 becomes 11: sum 161, mean 10.0625. MRs 1,1,1,3,1,1,1,1,1,1,1,1,3,0,0 = 17, AMR 1.1333.
        // Near limits 10.0625 ± 2.0098 = 8.0527 / 12.0723; process limits 10.0625 ± 3.0147 = 7.0478 / 13.0772.
        // Indexes 4..12 (nine points) are above the mean: shift, improvement.
        // The 8s are close below (8 < 8.0527): window 1..3 (8,9,8) has two close, window 13..15 (8,8,8) three:
        // those close points are two_of_three concerns; the 9s are not close and not flagged.
        var result = Xmr([9, 8, 9, 8, 11, 12, 11, 12, 11, 12, 11, 12, 11, 8, 8, 8]);

        Assert.Equal(["-", "two_of_three", "-", "two_of_three", .. Repeat("shift", 9), .. Repeat("two_of_three", 3)], Rules(result));
        Assert.Equal(["common_cause", "concern", "common_cause", "concern", .. Repeat("improvement", 9), .. Repeat("concern", 3)], PointTypes(result));
    }

    [Fact]
    public void Two_of_three_with_the_middle_point_across_the_mean_is_not_a_signal()
    {
        // Baseline limits: near 12.2733, process 13.16. Tail 13,10,13,10,11: the 13s are close above,
        // but 10 is below the mean 10.5, so no window of three has all points on one side.
        var result = XmrAfterBaseline([13, 10, 13, 10, 11]);

        Assert.Equal(Repeat("-", 17), Rules(result));
    }

    [Fact]
    public void Two_of_three_on_the_same_side_flags_only_the_close_points()
    {
        // Tail 13,11,13,10,11 (indexes 12..16): window 12..14 is all above 10.5 with two close (13 > 12.2733),
        // so indexes 12 and 14 are two_of_three; 11 at index 13 is not close and stays common cause.
        var result = XmrAfterBaseline([13, 11, 13, 10, 11]);

        Assert.Equal([.. QuietBaseline, "two_of_three", "-", "two_of_three", "-", "-"], Rules(result));
        Assert.Equal(PointType.Improvement, result.Points[12].PointType);
    }

    [Fact]
    public void An_astronomical_point_is_not_close_for_two_of_three()
    {
        // Tail 13,14,11: 14 > 13.16 is astronomical; only one close point (13) in window 12..14: no two_of_three.
        var result = XmrAfterBaseline([13, 14, 11]);

        Assert.Equal([.. QuietBaseline, "-", "astronomical", "-"], Rules(result));
    }

    [Fact]
    public void Precedence_is_astronomical_then_trend_then_two_of_three_then_shift()
    {
        // Tail (indexes 12..18): 10.6, 10.8, 11, 11.5, 12.5, 13, 14.
        // - shift: index 11 (11) and 12..18 are above 10.5: eight points.
        // - trend: 11 → 10.6 falls, then 10.6 … 14 rise six times: indexes 12..18.
        // - two_of_three: 12.5 and 13 are close (> 12.2733, < 13.16), 14 is astronomical: indexes 16, 17.
        // - astronomical: 14 > 13.16 at index 18.
        // Result: 11 shift; 12..17 trend (beats two_of_three at 16, 17 and shift); 18 astronomical.
        var result = XmrAfterBaseline([10.6, 10.8, 11, 11.5, 12.5, 13, 14]);

        Assert.Equal([.. Repeat("-", 11), "shift", .. Repeat("trend", 6), "astronomical"], Rules(result));
        Assert.All(result.Points.Skip(11), p => Assert.Equal(PointType.Improvement, p.PointType));
    }

    [Fact]
    public void Two_of_three_beats_shift()
    {
        // Tail 12.5, 11, 12.5, 11, 11, 11, 11 (indexes 12..18): with index 11 (11), eight points above 10.5 = shift;
        // 12.5 at 12 and 14 are close in the all-above window 12..14: two_of_three. Steps go up, down, up, down, flat: no trend.
        var result = XmrAfterBaseline([12.5, 11, 12.5, 11, 11, 11, 11]);

        Assert.Equal([.. Repeat("-", 11), "shift", "two_of_three", "shift", "two_of_three", .. Repeat("shift", 4)], Rules(result));
    }

    [Fact]
    public void A_low_astronomical_point_is_a_concern_when_increase_is_better_and_an_improvement_when_decrease_is()
    {
        // 7 < 7.84: astronomical low.
        var increase = XmrAfterBaseline([7]);
        var decrease = XmrAfterBaseline([7], improvement: ImprovementDirection.Decrease);
        var neutral = XmrAfterBaseline([7], improvement: ImprovementDirection.Neutral);

        Assert.Equal(PointType.Concern, increase.Points[12].PointType);
        Assert.Equal(VariationIcon.ConcernLow, increase.VariationIcon);
        Assert.Equal(PointType.Improvement, decrease.Points[12].PointType);
        Assert.Equal(VariationIcon.ImprovementLow, decrease.VariationIcon);
        Assert.Equal(PointType.NeutralLow, neutral.Points[12].PointType);
        Assert.Equal(VariationIcon.NeutralLow, neutral.VariationIcon);
    }

    [Fact]
    public void A_value_equal_to_a_limit_is_not_astronomical()
    {
        // Limits from 12 points 10,11,…: with a tail of exactly the upper limit 10.5 + 2.66 (the same double the engine computes).
        var result = XmrAfterBaseline([BaselineUpl]);

        Assert.Null(result.Points[12].Rule);
    }

    [Theory]
    // Tail 10, then six 11s, then 10 (indexes 12..19): the run above the mean is indexes 13..18, six points.
    [InlineData(6, true)]
    [InlineData(7, false)]
    [InlineData(8, false)]
    public void Shift_length_is_configurable(int shiftLength, bool sixPointRunIsAShift)
    {
        var result = XmrAfterBaseline([10, 11, 11, 11, 11, 11, 11, 10], shiftLength: shiftLength);

        string[] expectedTail = sixPointRunIsAShift ? ["-", .. Repeat("shift", 6), "-"] : Repeat("-", 8);
        Assert.Equal([.. QuietBaseline, .. expectedTail], Rules(result));
    }

    [Theory]
    // Rising tails after the baseline's last value 11 (so the first tail step is a fall), then 10.
    // Values stay inside the near limits and cross the mean, so nothing else fires.
    [InlineData(6, 8, true)]
    [InlineData(7, 8, true)]
    [InlineData(8, 8, true)]
    [InlineData(6, 7, true)]
    [InlineData(7, 7, true)]
    [InlineData(8, 7, false)]
    [InlineData(6, 6, true)]
    [InlineData(7, 6, false)]
    [InlineData(8, 6, false)]
    public void Trend_length_is_configurable(int trendLength, int risingPoints, bool isTrend)
    {
        double[] rising = [9.6, 9.9, 10.2, 10.4, 10.6, 10.8, 11.0, 11.2];
        double[] tail = [.. rising[(8 - risingPoints)..], 10];

        var result = XmrAfterBaseline(tail, trendLength: trendLength);

        string[] expectedTail = isTrend ? [.. Repeat("trend", risingPoints), "-"] : Repeat("-", risingPoints + 1);
        Assert.Equal([.. QuietBaseline, .. expectedTail], Rules(result));
    }

    [Fact]
    public void A_turning_point_shared_by_two_trends_takes_the_later_direction()
    {
        // Tail 9.6 … 11.2 rising (8 points, indexes 12..19) then falling 11.0 … 9.9 (indexes 20..25):
        // index 19 (11.2) ends the rise and starts the fall of 7 points (19..25), so it is low.
        var result = XmrAfterBaseline([9.6, 9.9, 10.2, 10.4, 10.6, 10.8, 11.0, 11.2, 11.0, 10.8, 10.6, 10.4, 10.2, 9.9]);

        Assert.Equal([.. QuietBaseline, .. Repeat("trend", 14)], Rules(result));
        Assert.Equal([.. Repeat("common_cause", 12), .. Repeat("improvement", 7), .. Repeat("concern", 7)], PointTypes(result));
    }

    [Fact]
    public void Anhoej_rule_set_flags_only_astronomical_points()
    {
        // Same data as the precedence test: under the Anhøj rule set only index 18 (14 > 13.16) is flagged.
        var result = XmrAfterBaseline([10.6, 10.8, 11, 11.5, 12.5, 13, 14], rules: RuleSet.Anhoej);

        Assert.Equal([.. Repeat("-", 18), "astronomical"], Rules(result));
        // Runs around 10.5 over all 19 points: sides -+-+-+-+-+-+ (12) then + ×7 joined with index 11: longest run 8.
        // nUseful 19, limit round(log2 19) + 3 = 4 + 3 = 7, so 8 > 7 is a signal.
        Assert.Equal(19, result.Anhoej.NUseful);
        Assert.Equal(8, result.Anhoej.LongestRun);
        Assert.Equal(7, result.Anhoej.LongestRunLimit);
        Assert.True(result.Anhoej.Signal);
    }
}

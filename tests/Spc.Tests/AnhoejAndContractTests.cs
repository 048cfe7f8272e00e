namespace Icp.Spc.Tests;

public sealed class AnhoejTests
{
    [Theory]
    // Published Anhøj/Olesen table of minimum crossings (n = useful points): 10→2, 12→3, 20→6, 30→10, 60→23, 100→41.
    // 1 and 2: qbinom(0.05, 0 or 1, 0.5) = 0. 122, 500, 1000, 5000: smallest k with 20·ΣC(n−1, i) ≥ 2^(n−1),
    // worked with exact integers (Python math.comb), beyond the 120-trial fast path.
    [InlineData(1, 0)]
    [InlineData(2, 0)]
    [InlineData(8, 1)]
    [InlineData(10, 2)]
    [InlineData(12, 3)]
    [InlineData(20, 6)]
    [InlineData(30, 10)]
    [InlineData(60, 23)]
    [InlineData(100, 41)]
    [InlineData(121, 51)]
    [InlineData(122, 51)]
    [InlineData(500, 231)]
    [InlineData(1000, 474)]
    [InlineData(5000, 2441)]
    public void Crossings_minimum_is_the_exact_lower_five_percent_binomial_quantile(int nUseful, int expected)
    {
        Assert.Equal(expected, AnhoejRuns.CrossingsMinimum(nUseful));
        Assert.Equal(expected, AnhoejRuns.CrossingsMinimum(nUseful)); // the cached value agrees
    }

    [Theory]
    // round(log2 n) + 3: log2 8 = 3 → 6; log2 20 = 4.32 → 7; log2 100 = 6.64 → 10; log2 1000 = 9.97 → 13.
    [InlineData(8, 6)]
    [InlineData(20, 7)]
    [InlineData(100, 10)]
    [InlineData(1000, 13)]
    public void Longest_run_limit_is_rounded_log2_plus_three(int nUseful, int expected) =>
        Assert.Equal(expected, AnhoejRuns.LongestRunLimit(nUseful));

    [Fact]
    public void Points_on_the_centre_are_ignored()
    {
        // Centre 5; 6,7,[5],4,3,6,6,6,4 → sides ++ -- +++ -: 8 useful, 4 runs = 3 crossings, longest 3.
        // Limit round(log2 8) + 3 = 6; minimum crossings for 8 = 1 (P(X ≤ 0) = 1/128, P(X ≤ 1) = 8/128 ≥ 0.05). No signal.
        var result = AnhoejRuns.Analyse([6, 7, 5, 4, 3, 6, 6, 6, 4], centre: 5);

        Assert.Equal(new AnhoejResult(8, 3, 6, 3, 1, Signal: false), result);
    }

    [Fact]
    public void Too_few_crossings_is_a_signal()
    {
        // 10 below then 10 above centre 0: 20 useful, 1 crossing < 6, longest run 10 > 7.
        double[] values = [.. Enumerable.Repeat(-1.0, 10), .. Enumerable.Repeat(1.0, 10)];

        var result = AnhoejRuns.Analyse(values, centre: 0);

        Assert.Equal(new AnhoejResult(20, 10, 7, 1, 6, Signal: true), result);
    }
}

public sealed class OptionsAndContractTests
{
    [Theory]
    [InlineData(5, 7)]
    [InlineData(9, 7)]
    [InlineData(7, 5)]
    [InlineData(7, 9)]
    public void Run_lengths_outside_6_to_8_are_rejected(int shiftLength, int trendLength)
    {
        var options = new SpcOptions { ShiftLength = shiftLength, TrendLength = trendLength };

        Assert.NotNull(options.GetValidationError(20));
        Assert.Throws<ArgumentException>(() => SpcEngine.Calculate(new double?[20], options));
    }

    [Fact]
    public void Run_lengths_6_and_8_are_accepted()
    {
        Assert.Null(new SpcOptions { ShiftLength = 6, TrendLength = 8 }.GetValidationError(20));
        Assert.Null(new SpcOptions { ShiftLength = 8, TrendLength = 6 }.GetValidationError(20));
    }

    [Fact]
    public void Baseline_points_under_12_are_rejected() =>
        Assert.NotNull(new SpcOptions { BaselinePoints = 11 }.GetValidationError(20));

    [Theory]
    [InlineData(new[] { 0 })]
    [InlineData(new[] { 20 })]
    [InlineData(new[] { 10, 5 })]
    [InlineData(new[] { 5, 5 })]
    public void Rebase_indexes_must_be_ascending_and_inside_the_series(int[] rebases) =>
        Assert.NotNull(new SpcOptions { RebaseIndexes = rebases }.GetValidationError(20));

    [Fact]
    public void Excluded_indexes_must_be_inside_the_series() =>
        Assert.NotNull(new SpcOptions { ExcludedIndexes = [20] }.GetValidationError(20));

    [Fact]
    public void The_input_must_suit_the_chart()
    {
        Assert.Throws<ArgumentException>(() => SpcEngine.Calculate([1.0, 2.0], new SpcOptions { Chart = ChartType.P }));
        Assert.Throws<ArgumentException>(() => SpcEngine.Calculate([1.0], [2.0], new SpcOptions { Chart = ChartType.XmR }));
    }

    [Fact]
    public void Enums_map_to_the_contract_strings()
    {
        Assert.Equal(["common_cause", "improvement", "concern", "neutral_high", "neutral_low"],
            Enum.GetValues<PointType>().Select(v => v.ToContractString()));
        Assert.Equal(["shift", "two_of_three", "trend", "astronomical"],
            Enum.GetValues<SpcRule>().Select(v => v.ToContractString()));
        Assert.Equal(["common_cause", "improvement_high", "improvement_low", "concern_high", "concern_low", "neutral_high", "neutral_low"],
            Enum.GetValues<VariationIcon>().Select(v => v.ToContractString()));
        Assert.Equal(["consistent_pass", "consistent_fail", "inconsistent"],
            Enum.GetValues<AssuranceIcon>().Select(v => v.ToContractString()));
        Assert.Equal(["xmr", "p", "pprime", "u", "uprime", "c"],
            Enum.GetValues<ChartType>().Select(v => v.ToContractString()));
        Assert.Equal(["mdc", "anhoej"], Enum.GetValues<RuleSet>().Select(v => v.ToContractString()));
        Assert.Equal(["increase", "decrease", "neutral"], Enum.GetValues<ImprovementDirection>().Select(v => v.ToContractString()));
    }

    [Fact]
    public void Contract_strings_parse_back()
    {
        foreach (var chart in Enum.GetValues<ChartType>())
        {
            Assert.True(SpcContract.TryParseChartType(chart.ToContractString(), out var parsed));
            Assert.Equal(chart, parsed);
        }
        Assert.True(SpcContract.TryParseRuleSet(null, out var rules));
        Assert.Equal(RuleSet.MakingDataCount, rules);
        Assert.True(SpcContract.TryParseRuleSet("anhoej", out rules));
        Assert.Equal(RuleSet.Anhoej, rules);
        Assert.False(SpcContract.TryParseChartType("XmR", out _));
        Assert.True(SpcContract.TryParseRule("two_of_three", out var rule));
        Assert.Equal(SpcRule.TwoOfThree, rule);
    }
}

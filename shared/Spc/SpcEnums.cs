namespace Icp.Spc;

/// <summary>Kind of control chart. Contract strings: xmr, p, pprime, u, uprime, c.</summary>
public enum ChartType : byte
{
    /// <summary>Individuals and moving range chart, for counts and means.</summary>
    XmR,
    /// <summary>Proportions (numerator / denominator).</summary>
    P,
    /// <summary>Laney P′: P chart widened by the between-period variation of the z-scores.</summary>
    PPrime,
    /// <summary>Rates per unit of exposure.</summary>
    U,
    /// <summary>Laney U′.</summary>
    UPrime,
    /// <summary>Counts of events with a constant area of opportunity.</summary>
    C,
}

/// <summary>Which way is better. Contract strings: increase, decrease, neutral.</summary>
public enum ImprovementDirection : byte
{
    Increase,
    Decrease,
    Neutral,
}

/// <summary>Contract strings: mdc (default), anhoej.</summary>
public enum RuleSet : byte
{
    /// <summary>NHS "Making Data Count": astronomical, trend, two-of-three, shift.</summary>
    MakingDataCount,
    /// <summary>Anhøj runs rules (longest run, crossings) for the chart; points are flagged only when astronomical.</summary>
    Anhoej,
}

/// <summary>Contract strings: common_cause, improvement, concern, neutral_high, neutral_low.</summary>
public enum PointType : byte
{
    CommonCause = 1,
    Improvement,
    Concern,
    NeutralHigh,
    NeutralLow,
}

/// <summary>
/// The rule that classified a point. The numeric order is the precedence: a higher value wins.
/// Contract strings: shift, two_of_three, trend, astronomical.
/// </summary>
public enum SpcRule : byte
{
    Shift = 1,
    TwoOfThree = 2,
    Trend = 3,
    Astronomical = 4,
}

/// <summary>Contract strings: common_cause, improvement_high, improvement_low, concern_high, concern_low, neutral_high, neutral_low.</summary>
public enum VariationIcon : byte
{
    CommonCause = 1,
    ImprovementHigh,
    ImprovementLow,
    ConcernHigh,
    ConcernLow,
    NeutralHigh,
    NeutralLow,
}

/// <summary>Contract strings: consistent_pass, consistent_fail, inconsistent.</summary>
public enum AssuranceIcon : byte
{
    ConsistentPass = 1,
    ConsistentFail,
    Inconsistent,
}

/// <summary>Why a point has no plotted value.</summary>
public enum UnplottableReason : byte
{
    None = 0,
    /// <summary>The value (or the numerator) is missing: a gap, never a zero.</summary>
    MissingValue,
    /// <summary>The denominator is missing.</summary>
    MissingDenominator,
    /// <summary>The denominator is zero (this includes 0/0).</summary>
    ZeroDenominator,
    NegativeDenominator,
    /// <summary>The value, numerator or denominator is infinite.</summary>
    NotFinite,
}

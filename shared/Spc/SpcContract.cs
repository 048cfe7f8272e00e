using System.Diagnostics.CodeAnalysis;

namespace Icp.Spc;

/// <summary>Maps the engine's enums to and from the lower-case snake strings of the API contract.</summary>
public static class SpcContract
{
    public static string ToContractString(this ChartType chart) => chart switch
    {
        ChartType.XmR => "xmr",
        ChartType.P => "p",
        ChartType.PPrime => "pprime",
        ChartType.U => "u",
        ChartType.UPrime => "uprime",
        ChartType.C => "c",
        _ => throw new ArgumentOutOfRangeException(nameof(chart), chart, null),
    };

    public static string ToContractString(this ImprovementDirection direction) => direction switch
    {
        ImprovementDirection.Increase => "increase",
        ImprovementDirection.Decrease => "decrease",
        ImprovementDirection.Neutral => "neutral",
        _ => throw new ArgumentOutOfRangeException(nameof(direction), direction, null),
    };

    public static string ToContractString(this RuleSet rules) => rules switch
    {
        RuleSet.MakingDataCount => "mdc",
        RuleSet.Anhoej => "anhoej",
        _ => throw new ArgumentOutOfRangeException(nameof(rules), rules, null),
    };

    public static string ToContractString(this PointType pointType) => pointType switch
    {
        PointType.CommonCause => "common_cause",
        PointType.Improvement => "improvement",
        PointType.Concern => "concern",
        PointType.NeutralHigh => "neutral_high",
        PointType.NeutralLow => "neutral_low",
        _ => throw new ArgumentOutOfRangeException(nameof(pointType), pointType, null),
    };

    public static string ToContractString(this SpcRule rule) => rule switch
    {
        SpcRule.Astronomical => "astronomical",
        SpcRule.Trend => "trend",
        SpcRule.TwoOfThree => "two_of_three",
        SpcRule.Shift => "shift",
        _ => throw new ArgumentOutOfRangeException(nameof(rule), rule, null),
    };

    public static string ToContractString(this VariationIcon icon) => icon switch
    {
        VariationIcon.CommonCause => "common_cause",
        VariationIcon.ImprovementHigh => "improvement_high",
        VariationIcon.ImprovementLow => "improvement_low",
        VariationIcon.ConcernHigh => "concern_high",
        VariationIcon.ConcernLow => "concern_low",
        VariationIcon.NeutralHigh => "neutral_high",
        VariationIcon.NeutralLow => "neutral_low",
        _ => throw new ArgumentOutOfRangeException(nameof(icon), icon, null),
    };

    public static string ToContractString(this AssuranceIcon icon) => icon switch
    {
        AssuranceIcon.ConsistentPass => "consistent_pass",
        AssuranceIcon.ConsistentFail => "consistent_fail",
        AssuranceIcon.Inconsistent => "inconsistent",
        _ => throw new ArgumentOutOfRangeException(nameof(icon), icon, null),
    };

    public static string ToContractString(this UnplottableReason reason) => reason switch
    {
        UnplottableReason.None => "none",
        UnplottableReason.MissingValue => "missing_value",
        UnplottableReason.MissingDenominator => "missing_denominator",
        UnplottableReason.ZeroDenominator => "zero_denominator",
        UnplottableReason.NegativeDenominator => "negative_denominator",
        UnplottableReason.NotFinite => "not_finite",
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, null),
    };

    /// <summary>Null in, null out: convenient for the nullable fields of <see cref="SpcPoint"/>.</summary>
    public static string? ToContractString(this PointType? pointType) => pointType?.ToContractString();

    public static string? ToContractString(this SpcRule? rule) => rule?.ToContractString();

    public static string? ToContractString(this VariationIcon? icon) => icon?.ToContractString();

    public static string? ToContractString(this AssuranceIcon? icon) => icon?.ToContractString();

    public static bool TryParseChartType(string? text, out ChartType chart)
    {
        switch (text)
        {
            case "xmr": chart = ChartType.XmR; return true;
            case "p": chart = ChartType.P; return true;
            case "pprime": chart = ChartType.PPrime; return true;
            case "u": chart = ChartType.U; return true;
            case "uprime": chart = ChartType.UPrime; return true;
            case "c": chart = ChartType.C; return true;
            default: chart = default; return false;
        }
    }

    public static bool TryParseImprovementDirection(string? text, out ImprovementDirection direction)
    {
        switch (text)
        {
            case "increase": direction = ImprovementDirection.Increase; return true;
            case "decrease": direction = ImprovementDirection.Decrease; return true;
            case "neutral": direction = ImprovementDirection.Neutral; return true;
            default: direction = default; return false;
        }
    }

    /// <summary>Parses the <c>rules</c> query parameter; null or empty means the default, mdc.</summary>
    public static bool TryParseRuleSet(string? text, out RuleSet rules)
    {
        switch (text)
        {
            case null or "" or "mdc": rules = RuleSet.MakingDataCount; return true;
            case "anhoej": rules = RuleSet.Anhoej; return true;
            default: rules = default; return false;
        }
    }

    public static bool TryParsePointType(string? text, [NotNullWhen(true)] out PointType? pointType)
    {
        pointType = text switch
        {
            "common_cause" => PointType.CommonCause,
            "improvement" => PointType.Improvement,
            "concern" => PointType.Concern,
            "neutral_high" => PointType.NeutralHigh,
            "neutral_low" => PointType.NeutralLow,
            _ => null,
        };
        return pointType is not null;
    }

    public static bool TryParseRule(string? text, [NotNullWhen(true)] out SpcRule? rule)
    {
        rule = text switch
        {
            "astronomical" => SpcRule.Astronomical,
            "trend" => SpcRule.Trend,
            "two_of_three" => SpcRule.TwoOfThree,
            "shift" => SpcRule.Shift,
            _ => null,
        };
        return rule is not null;
    }
}

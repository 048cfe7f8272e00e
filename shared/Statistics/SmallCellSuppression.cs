namespace Icp.Statistics;

/// <summary>A breakdown cell that may have been suppressed because it has too few respondents.</summary>
/// <param name="Group">The breakdown key (e.g. organisation or team).</param>
/// <param name="Respondents">Number of respondents in the group.</param>
/// <param name="Suppressed">True when Respondents &lt; threshold; then <paramref name="Value"/> is default.</param>
/// <param name="Value">The statistic, or default when suppressed (it is then never computed).</param>
public sealed record SuppressibleCell<T>(string Group, int Respondents, bool Suppressed, T? Value);

/// <summary>Small-cell suppression: breakdowns with fewer than k respondents (default 5) are not shown.</summary>
public static class SmallCellSuppression
{
    /// <summary>Default minimum number of respondents for a breakdown to be shown.</summary>
    public const int DefaultThreshold = 5;

    /// <summary>True when a breakdown with this many respondents must be suppressed (respondents &lt; threshold).</summary>
    public static bool IsSuppressed(int respondents, int threshold = DefaultThreshold)
    {
        if (respondents < 0) throw new ArgumentOutOfRangeException(nameof(respondents));
        if (threshold < 1) throw new ArgumentOutOfRangeException(nameof(threshold));
        return respondents < threshold;
    }

    /// <summary>Computes the value for a group only when it is not suppressed.</summary>
    public static SuppressibleCell<T> Apply<T>(string group, int respondents, Func<T> compute, int threshold = DefaultThreshold)
    {
        ArgumentNullException.ThrowIfNull(compute);
        return IsSuppressed(respondents, threshold)
            ? new SuppressibleCell<T>(group, respondents, true, default)
            : new SuppressibleCell<T>(group, respondents, false, compute());
    }
}

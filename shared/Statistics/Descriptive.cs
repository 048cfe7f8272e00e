namespace Icp.Statistics;

/// <summary>Basic sample statistics with R's conventions.</summary>
public static class Descriptive
{
    /// <summary>Arithmetic mean (two-pass with a correction term, as R's <c>mean</c>); null when empty.</summary>
    public static double? Mean(IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        int n = values.Count;
        if (n == 0) return null;
        double s = 0;
        for (int i = 0; i < n; i++) s += values[i];
        s /= n;
        if (double.IsFinite(s))
        {
            double t = 0;
            for (int i = 0; i < n; i++) t += values[i] - s;
            s += t / n;
        }
        return s;
    }

    /// <summary>Sample variance with denominator n − 1; null when n &lt; 2.</summary>
    public static double? SampleVariance(IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        int n = values.Count;
        if (n < 2) return null;
        double m = Mean(values)!.Value;
        double ss = 0;
        for (int i = 0; i < n; i++)
        {
            double d = values[i] - m;
            ss += d * d;
        }
        return ss / (n - 1);
    }

    /// <summary>Sample standard deviation (n − 1 denominator, R's <c>sd</c>); null when n &lt; 2.</summary>
    public static double? SampleStandardDeviation(IReadOnlyList<double> values)
    {
        double? v = SampleVariance(values);
        return v is null ? null : Math.Sqrt(v.Value);
    }

    /// <summary>Median as R's <c>median</c>: the middle value, or the mean of the two middle values for even n; null when empty.</summary>
    public static double? Median(IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        int n = values.Count;
        if (n == 0) return null;
        double[] sorted = values.ToArray();
        Array.Sort(sorted);
        int half = n / 2;
        return n % 2 == 1 ? sorted[half] : (sorted[half - 1] + sorted[half]) / 2.0;
    }

    /// <summary>Sample quantile, R's default <c>quantile(type = 7)</c>; null when empty.</summary>
    public static double? Quantile(IReadOnlyList<double> values, double probability)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (!(probability >= 0 && probability <= 1)) throw new ArgumentOutOfRangeException(nameof(probability));
        int n = values.Count;
        if (n == 0) return null;
        double[] sorted = values.ToArray();
        Array.Sort(sorted);
        double h = (n - 1) * probability;
        int lo = (int)Math.Floor(h);
        int hi = Math.Min(lo + 1, n - 1);
        double frac = h - lo;
        return frac == 0 ? sorted[lo] : sorted[lo] + frac * (sorted[hi] - sorted[lo]);
    }
}

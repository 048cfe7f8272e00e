namespace Icp.Statistics;

/// <summary>Ranks with midranks for ties (R's <c>rank(ties.method = "average")</c>).</summary>
public static class Ranking
{
    /// <summary>Ranks 1..n in input order; tied values share the average of the ranks they span.</summary>
    public static double[] MidRanks(IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        int n = values.Count;
        var order = new int[n];
        for (int i = 0; i < n; i++)
        {
            if (double.IsNaN(values[i])) throw new ArgumentException("Values must not be NaN.", nameof(values));
            order[i] = i;
        }
        Array.Sort(order, (a, b) => values[a].CompareTo(values[b]));
        var ranks = new double[n];
        int start = 0;
        while (start < n)
        {
            int end = start;
            while (end + 1 < n && values[order[end + 1]] == values[order[start]]) end++;
            // positions start..end (0-based) hold ranks start+1..end+1; their average:
            double mid = (start + 1 + end + 1) / 2.0;
            for (int k = start; k <= end; k++) ranks[order[k]] = mid;
            start = end + 1;
        }
        return ranks;
    }

    /// <summary>Sizes of the groups of equal values (every distinct value gives one group, size ≥ 1), in ascending order of value.</summary>
    public static int[] TieGroupSizes(IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        double[] sorted = values.ToArray();
        Array.Sort(sorted);
        var sizes = new List<int>();
        int start = 0;
        while (start < sorted.Length)
        {
            int end = start;
            while (end + 1 < sorted.Length && sorted[end + 1] == sorted[start]) end++;
            sizes.Add(end - start + 1);
            start = end + 1;
        }
        return sizes.ToArray();
    }

    /// <summary>Σ (t³ − t) over the tie groups; 0 when there are no ties.</summary>
    public static double TieCorrectionSum(IReadOnlyList<double> values)
    {
        double sum = 0;
        foreach (int t in TieGroupSizes(values))
        {
            double td = t;
            sum += td * td * td - td;
        }
        return sum;
    }
}

namespace Icp.Statistics;

/// <summary>Multiple-testing adjustments.</summary>
public static class MultipleTesting
{
    /// <summary>
    /// Benjamini–Hochberg adjusted p-values, R's <c>p.adjust(p, "BH")</c>: with the m non-null
    /// p-values sorted ascending, adj₍ᵢ₎ = min over j ≥ i of min(1, (m/j)·p₍ⱼ₎).
    /// Null entries stay null and are not counted in m. Output is in input order.
    /// </summary>
    public static double?[] BenjaminiHochberg(IReadOnlyList<double?> pValues)
    {
        ArgumentNullException.ThrowIfNull(pValues);
        var result = new double?[pValues.Count];
        var present = new List<int>();
        for (int i = 0; i < pValues.Count; i++)
        {
            double? p = pValues[i];
            if (p is null) continue;
            if (!(p.Value >= 0 && p.Value <= 1)) throw new ArgumentOutOfRangeException(nameof(pValues), "p-values must lie in [0, 1].");
            present.Add(i);
        }
        int m = present.Count;
        // descending by p (stable); position i (1-based, counting from the largest) has ascending rank m − k.
        var order = present.OrderByDescending(i => pValues[i]!.Value).ToArray();
        double running = double.PositiveInfinity;
        for (int k = 0; k < m; k++)
        {
            int rank = m - k;
            double candidate = (double)m / rank * pValues[order[k]]!.Value;
            if (candidate < running) running = candidate;
            result[order[k]] = Math.Min(1.0, running);
        }
        return result;
    }
}

using System.Numerics;

namespace Icp.Spc;

/// <summary>Anhøj runs analysis: longest run and number of crossings around the centre line.</summary>
public static class AnhoejRuns
{
    // Lazily filled cache of CrossingsMinimum by useful-point count; 0 = not computed yet, otherwise value + 1.
    private const int CacheSize = 4096;
    private static readonly int[] CrossingsMinimumCache = new int[CacheSize];

    /// <summary>round(log2(nUseful)) + 3: a run longer than this is a signal.</summary>
    public static int LongestRunLimit(int nUseful)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(nUseful, 1);
        return (int)Math.Round(Math.Log2(nUseful), MidpointRounding.ToEven) + 3;
    }

    /// <summary>
    /// Fewest expected crossings: the 5% lower quantile of Binomial(nUseful − 1, ½), i.e. the smallest k with
    /// P(X ≤ k) ≥ 0.05. Computed exactly in integers: 20 · Σ C(m, i) ≥ 2^m.
    /// </summary>
    public static int CrossingsMinimum(int nUseful)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(nUseful, 1);
        if (nUseful < CacheSize)
        {
            int cached = CrossingsMinimumCache[nUseful];
            if (cached != 0)
                return cached - 1;
            int computed = LowerFivePercentQuantileOfFairBinomial(nUseful - 1);
            CrossingsMinimumCache[nUseful] = computed + 1; // a benign race: every thread writes the same value
            return computed;
        }
        return LowerFivePercentQuantileOfFairBinomial(nUseful - 1);
    }

    /// <summary>Smallest k with P(Bin(trials, ½) ≤ k) ≥ 1/20, exactly.</summary>
    internal static int LowerFivePercentQuantileOfFairBinomial(int trials)
    {
        if (trials <= 120)
        {
            // 20 · 2^120 < 2^125, so UInt128 holds every partial sum and product exactly.
            UInt128 threshold = UInt128.One << trials;
            UInt128 coefficient = 1;
            UInt128 cumulative = 0;
            for (int k = 0; ; k++)
            {
                cumulative += coefficient;
                if (cumulative * 20 >= threshold)
                    return k;
                coefficient = coefficient * (UInt128)(uint)(trials - k) / (UInt128)(uint)(k + 1);
            }
        }
        else
        {
            BigInteger threshold = BigInteger.One << trials;
            BigInteger coefficient = BigInteger.One;
            BigInteger cumulative = BigInteger.Zero;
            for (int k = 0; ; k++)
            {
                cumulative += coefficient;
                if (cumulative * 20 >= threshold)
                    return k;
                coefficient = coefficient * (trials - k) / (k + 1);
            }
        }
    }

    /// <summary>Runs analysis of <paramref name="values"/> around <paramref name="centre"/>; points on the centre are ignored.</summary>
    public static AnhoejResult Analyse(ReadOnlySpan<double> values, double centre)
    {
        int nUseful = 0;
        int longestRun = 0;
        int currentRun = 0;
        int runs = 0;
        int previousSide = 0;
        for (int i = 0; i < values.Length; i++)
        {
            double value = values[i];
            int side = value > centre ? 1 : value < centre ? -1 : 0;
            if (side == 0)
                continue; // on the centre line, or NaN
            nUseful++;
            if (side == previousSide)
            {
                currentRun++;
            }
            else
            {
                runs++;
                currentRun = 1;
                previousSide = side;
            }
            if (currentRun > longestRun)
                longestRun = currentRun;
        }
        return FromCounts(nUseful, longestRun, runs);
    }

    internal static AnhoejResult FromCounts(int nUseful, int longestRun, int runs)
    {
        if (nUseful == 0)
            return new AnhoejResult(0, null, null, null, null, Signal: false);
        int longestRunLimit = LongestRunLimit(nUseful);
        int crossings = runs - 1;
        int crossingsMin = CrossingsMinimum(nUseful);
        bool signal = longestRun > longestRunLimit || crossings < crossingsMin;
        return new AnhoejResult(nUseful, longestRun, longestRunLimit, crossings, crossingsMin, signal);
    }
}

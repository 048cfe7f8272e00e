namespace Icp.Spc.Benchmarks;

/// <summary>
/// Deterministic monthly indicator series that look like NHS data: a level, winter seasonality, noise,
/// and in some series a lasting step change (so the rules have real work to do).
/// </summary>
public static class MonthlySeriesGenerator
{
    /// <summary>XmR series, e.g. mean length of stay in days or monthly referral counts.</summary>
    public static double[][] Values(int seriesCount, int months, int seed)
    {
        var random = new Random(seed);
        var batch = new double[seriesCount][];
        for (int s = 0; s < seriesCount; s++)
        {
            double level = 20 + 200 * random.NextDouble();
            double noise = level * (0.03 + 0.07 * random.NextDouble());
            double seasonal = level * 0.05 * random.NextDouble();
            int stepAt = random.NextDouble() < 0.3 ? random.Next(12, months) : int.MaxValue;
            double step = (random.NextDouble() - 0.5) * 4 * noise;

            var series = new double[months];
            for (int m = 0; m < months; m++)
            {
                double winter = Math.Cos(2 * Math.PI * (m % 12) / 12.0);
                double value = level + seasonal * winter + noise * Gaussian(random) + (m >= stepAt ? step : 0);
                series[m] = Math.Round(value, 1);
            }
            batch[s] = series;
        }
        return batch;
    }

    /// <summary>P-chart series, e.g. patients seen within four hours out of attendances.</summary>
    public static (double[][] Numerators, double[][] Denominators) Proportions(int seriesCount, int months, int seed)
    {
        var random = new Random(seed);
        var numerators = new double[seriesCount][];
        var denominators = new double[seriesCount][];
        for (int s = 0; s < seriesCount; s++)
        {
            double rate = 0.6 + 0.35 * random.NextDouble();
            double size = 100 + 1900 * random.NextDouble();
            int stepAt = random.NextDouble() < 0.3 ? random.Next(12, months) : int.MaxValue;
            double step = (random.NextDouble() - 0.5) * 0.1;

            var num = new double[months];
            var den = new double[months];
            for (int m = 0; m < months; m++)
            {
                double winter = Math.Cos(2 * Math.PI * (m % 12) / 12.0);
                double denominator = Math.Max(1, Math.Round(size * (1 + 0.1 * winter + 0.05 * Gaussian(random))));
                double p = Math.Clamp(rate - 0.03 * winter + (m >= stepAt ? step : 0) + 0.02 * Gaussian(random), 0, 1);
                double spread = Math.Sqrt(denominator * p * (1 - p));
                den[m] = denominator;
                num[m] = Math.Clamp(Math.Round(denominator * p + spread * Gaussian(random)), 0, denominator);
            }
            numerators[s] = num;
            denominators[s] = den;
        }
        return (numerators, denominators);
    }

    private static double Gaussian(Random random)
    {
        // Box–Muller; 1 − u keeps the logarithm finite.
        double u1 = 1.0 - random.NextDouble();
        double u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }
}

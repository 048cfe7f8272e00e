namespace Icp.Spc;

/// <summary>
/// One series in time order: either plain values (XmR, C) or numerators with denominators (P, P′, U, U′).
/// Missing entries are <see cref="double.NaN"/> in the raw form or null in the nullable factories; they leave a
/// gap and never count as zero.
/// </summary>
public readonly struct SpcInput
{
    private SpcInput(ReadOnlyMemory<double> values, ReadOnlyMemory<double> numerators, ReadOnlyMemory<double> denominators, bool hasRatios)
    {
        Values = values;
        Numerators = numerators;
        Denominators = denominators;
        HasRatios = hasRatios;
    }

    /// <summary>Plotted values for XmR and C charts (NaN = missing).</summary>
    public ReadOnlyMemory<double> Values { get; }

    /// <summary>Numerators for P/P′/U/U′ charts (NaN = missing).</summary>
    public ReadOnlyMemory<double> Numerators { get; }

    /// <summary>Denominators for P/P′/U/U′ charts (NaN = missing; zero or negative makes the point unplottable).</summary>
    public ReadOnlyMemory<double> Denominators { get; }

    /// <summary>True when the input was built from numerators and denominators.</summary>
    public bool HasRatios { get; }

    public int Count => HasRatios ? Numerators.Length : Values.Length;

    /// <summary>Values without copying; NaN marks a missing value.</summary>
    public static SpcInput FromValues(ReadOnlyMemory<double> values) => new(values, default, default, hasRatios: false);

    public static SpcInput FromValues(IReadOnlyList<double?> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return FromValues(ToNaNForMissing(values));
    }

    /// <summary>Numerators and denominators without copying; NaN marks a missing entry.</summary>
    public static SpcInput FromRatios(ReadOnlyMemory<double> numerators, ReadOnlyMemory<double> denominators)
    {
        if (numerators.Length != denominators.Length)
            throw new ArgumentException($"numerators ({numerators.Length}) and denominators ({denominators.Length}) must have the same length.", nameof(denominators));
        return new SpcInput(default, numerators, denominators, hasRatios: true);
    }

    public static SpcInput FromRatios(IReadOnlyList<double?> numerators, IReadOnlyList<double?> denominators)
    {
        ArgumentNullException.ThrowIfNull(numerators);
        ArgumentNullException.ThrowIfNull(denominators);
        return FromRatios(ToNaNForMissing(numerators), ToNaNForMissing(denominators));
    }

    private static double[] ToNaNForMissing(IReadOnlyList<double?> source)
    {
        var result = new double[source.Count];
        for (int i = 0; i < result.Length; i++)
            result[i] = source[i] ?? double.NaN;
        return result;
    }
}

using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Icp.Indicators.Domain;

/// <summary>
/// A digest of a feed's validated rows, in any order: the same rows give the same digest however they are sent (JSON
/// or CSV, reordered), any other value, row or month gives another.
/// </summary>
public static class FeedDigest
{
    public static string Of(IReadOnlyList<FeedRow> rows)
    {
        var lines = rows.Select(r => string.Join('\t', r.UnitId, r.IndicatorId, r.Period, Number(r.Value), Number(r.Numerator), Number(r.Denominator)))
            .Order(StringComparer.Ordinal);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var line in lines) hash.AppendData(Encoding.UTF8.GetBytes(line + "\n"));
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static string Number(double? x) => x?.ToString("R", CultureInfo.InvariantCulture) ?? "";
}

using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Icp.Referrals.Domain;

/// <summary>A digest of a submission's validated steps in row order (the order decides how they apply): the same steps
/// give the same digest however they are sent (JSON or CSV); any other step, value or order gives another.</summary>
public static class ReferralDigest
{
    public static string Of(IEnumerable<ReferralStep> steps)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var s in steps)
        {
            var line = string.Join('\t', s.ReferralId, s.Step, s.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), s.UnitId,
                s.Source, s.Destination, s.Outcome, s.RedirectedTo, s.Reason);
            hash.AppendData(Encoding.UTF8.GetBytes(line + "\n"));
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}

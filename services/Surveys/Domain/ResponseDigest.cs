using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Icp.Surveys.Domain;

/// <summary>
/// A digest of a submission's responses as sent, normalised the way validation reads them (attributes trimmed, teams
/// as a set, item ids ignoring case, "4" and 4 alike), so a replay of the same responses, as JSON or as CSV, has the
/// same digest and any other response, answer or order another.
/// </summary>
public static class ResponseDigest
{
    public static string Of(string waveId, IReadOnlyList<ResponseRequest?> responses)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Append(string text) => hash.AppendData(Encoding.UTF8.GetBytes(text + "\u001f"));
        Append(waveId);
        foreach (var r in responses)
        {
            if (r is null)
            {
                Append("\u001e");
                continue;
            }
            Append(r.RespondentId ?? "");
            Append(r.Code ?? "");
            Append(r.Organisation?.Trim() ?? "");
            Append(r.Role?.Trim() ?? "");
            Append(string.Join(';', (r.Teams ?? []).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)));
            foreach (var (item, answer) in (r.Answers ?? []).OrderBy(a => a.Key.ToLowerInvariant(), StringComparer.Ordinal))
                Append(item.ToLowerInvariant() + "=" + Normalise(answer));
            Append("\u001e");
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static string Normalise(JsonElement answer) => answer.ValueKind switch
    {
        JsonValueKind.Null or JsonValueKind.Undefined => "",
        JsonValueKind.Number when answer.TryGetDouble(out var d) => d.ToString("R", CultureInfo.InvariantCulture),
        JsonValueKind.String when double.TryParse(answer.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) =>
            d.ToString("R", CultureInfo.InvariantCulture),
        JsonValueKind.String => answer.GetString()!.Trim(),
        _ => answer.GetRawText(),
    };
}

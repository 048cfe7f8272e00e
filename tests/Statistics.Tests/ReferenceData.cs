using System.Globalization;
using System.Text.Json;

namespace Icp.Statistics.Tests;

/// <summary>Loads the R reference cases copied to the test output directory.</summary>
internal static class ReferenceData
{
    private static readonly Dictionary<string, JsonDocument> Cache = new();
    private static readonly Lock Gate = new();

    public static string Directory => Path.Combine(AppContext.BaseDirectory, "reference", "surveys");

    public static JsonElement Root(string kind)
    {
        lock (Gate)
        {
            if (!Cache.TryGetValue(kind, out JsonDocument? doc))
            {
                string path = Path.Combine(Directory, kind + ".json");
                doc = JsonDocument.Parse(File.ReadAllText(path));
                Cache[kind] = doc;
            }
            JsonElement root = doc.RootElement;
            Assert.Equal(1, root.GetProperty("schemaVersion").GetInt32());
            Assert.Equal(kind, root.GetProperty("kind").GetString());
            return root;
        }
    }

    public static JsonElement[] Cases(string kind) => Root(kind).GetProperty("cases").EnumerateArray().ToArray();

    public static JsonElement Case(string kind, string name)
    {
        JsonElement[] matches = Cases(kind).Where(c => c.GetProperty("name").GetString() == name).ToArray();
        Assert.Single(matches);
        return matches[0];
    }

    public static TheoryData<string> CaseNames(string kind)
    {
        var data = new TheoryData<string>();
        foreach (JsonElement c in Cases(kind)) data.Add(c.GetProperty("name").GetString()!);
        return data;
    }

    public static int[] Ints(JsonElement array) => array.EnumerateArray().Select(e => e.GetInt32()).ToArray();

    public static int? NullableInt(JsonElement e) => e.ValueKind == JsonValueKind.Null ? null : e.GetInt32();

    public static double? NullableDouble(JsonElement e) =>
        e.ValueKind == JsonValueKind.Null ? null : double.Parse(e.GetRawText(), CultureInfo.InvariantCulture);
}

/// <summary>Collects every mismatch of a case so that one failing theory row reports all of them.</summary>
internal sealed class Comparison
{
    private readonly List<string> _failures = new();
    public int Checks { get; private set; }

    /// <summary>Exact equality (counts, W, V, method, bands, scores, null-ness).</summary>
    public void Exact<T>(string what, T? expected, T? actual)
    {
        Checks++;
        if (!EqualityComparer<T>.Default.Equals(expected, actual))
            _failures.Add($"{what}: expected {Show(expected)}, actual {Show(actual)}");
    }

    /// <summary>Exact numeric equality against a JSON number or null.</summary>
    public void ExactNumber(string what, JsonElement expected, double? actual) =>
        Exact(what, ReferenceData.NullableDouble(expected), actual);

    /// <summary>
    /// p-values: |a − e| ≤ 1e-9·|e| (p-values reach 6e-46, so an absolute tolerance would test nothing);
    /// an expected exact 0 accepts |a| ≤ 1e-300 (underflow). Null-ness exact.
    /// </summary>
    public void Relative(string what, JsonElement expected, double? actual)
    {
        Checks++;
        double? e = ReferenceData.NullableDouble(expected);
        if (e is null || actual is null)
        {
            if (e is not null || actual is not null) _failures.Add($"{what}: expected {Show(e)}, actual {Show(actual)}");
            return;
        }
        if (!(Math.Abs(actual.Value - e.Value) <= Math.Max(1e-9 * Math.Abs(e.Value), 1e-300)))
            _failures.Add($"{what}: expected {Show(e)}, actual {Show(actual)} (relative tolerance 1e-9)");
    }

    /// <summary>Other doubles: |a − e| ≤ 1e-9·max(|e|, 1); null-ness exact.</summary>
    public void Close(string what, JsonElement expected, double? actual)
    {
        Checks++;
        double? e = ReferenceData.NullableDouble(expected);
        if (e is null || actual is null)
        {
            if (e is not null || actual is not null) _failures.Add($"{what}: expected {Show(e)}, actual {Show(actual)}");
            return;
        }
        if (!(Math.Abs(actual.Value - e.Value) <= 1e-9 * Math.Max(Math.Abs(e.Value), 1.0)))
            _failures.Add($"{what}: expected {Show(e)}, actual {Show(actual)} (tolerance 1e-9·max(|e|,1))");
    }

    public void AssertAllPassed(string caseName)
    {
        Assert.True(Checks > 0, $"{caseName}: nothing was checked");
        Assert.True(_failures.Count == 0,
            $"{caseName}: {_failures.Count} of {Checks} checks failed:\n" + string.Join("\n", _failures));
    }

    private static string Show<T>(T? v) => v switch
    {
        null => "null",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        _ => v.ToString() ?? "null",
    };
}

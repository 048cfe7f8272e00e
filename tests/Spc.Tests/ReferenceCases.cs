using System.Text.Json;

namespace Icp.Spc.Tests;

/// <summary>One R-computed case from tests/reference/spc (see the README there for the schema).</summary>
public sealed record ReferenceCase(string File, string Name, string Chart, SpcOptions Options, SpcInput Input, JsonElement Expected);

/// <summary>Loads every case of every reference file copied to the test output directory.</summary>
public static class ReferenceCases
{
    public static readonly string Directory = Path.Combine(AppContext.BaseDirectory, "reference", "spc");

    private static readonly Lazy<IReadOnlyList<ReferenceCase>> Cases = new(Load);

    public static IReadOnlyList<ReferenceCase> All => Cases.Value;

    public static ReferenceCase Get(string name) => All.Single(c => c.Name == name);

    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (var referenceCase in All)
            data.Add(referenceCase.Name);
        return data;
    }

    private static IReadOnlyList<ReferenceCase> Load()
    {
        var files = System.IO.Directory.GetFiles(Directory, "*.json").OrderBy(f => f, StringComparer.Ordinal).ToArray();
        if (files.Length == 0)
            throw new InvalidOperationException($"No reference files found in {Directory}.");

        var cases = new List<ReferenceCase>();
        foreach (var file in files)
        {
            // The documents are kept alive for the test run: the cases hold JsonElements into them.
            var document = JsonDocument.Parse(System.IO.File.ReadAllBytes(file));
            foreach (var element in document.RootElement.EnumerateArray())
                cases.Add(Parse(Path.GetFileName(file), element));
        }
        return cases;
    }

    private static ReferenceCase Parse(string file, JsonElement element)
    {
        string name = element.GetProperty("name").GetString()!;
        string chartText = element.GetProperty("chart").GetString()!;
        if (!SpcContract.TryParseChartType(chartText, out var chart))
            throw new InvalidOperationException($"{name}: unknown chart '{chartText}'.");

        var options = element.GetProperty("options");
        if (!SpcContract.TryParseImprovementDirection(options.GetProperty("improvement").GetString(), out var improvement))
            throw new InvalidOperationException($"{name}: unknown improvement direction.");

        var spcOptions = new SpcOptions
        {
            Chart = chart,
            ScreenMovingRanges = options.GetProperty("screenMovingRanges").GetBoolean(),
            BaselinePoints = NullableInt(options.GetProperty("baselinePoints")),
            RebaseIndexes = options.GetProperty("rebaseIndexes").EnumerateArray().Select(e => e.GetInt32()).ToArray(),
            Improvement = improvement,
            Target = NullableDouble(options.GetProperty("target")),
            ShiftLength = options.GetProperty("shiftLength").GetInt32(),
            TrendLength = options.GetProperty("trendLength").GetInt32(),
        };

        var input = element.GetProperty("input");
        SpcInput spcInput = input.TryGetProperty("values", out var values)
            ? SpcInput.FromValues(NullableDoubles(values))
            : SpcInput.FromRatios(NullableDoubles(input.GetProperty("numerators")), NullableDoubles(input.GetProperty("denominators")));

        return new ReferenceCase(file, name, chartText, spcOptions, spcInput, element.GetProperty("expected"));
    }

    private static double?[] NullableDoubles(JsonElement array) =>
        array.EnumerateArray().Select(NullableDouble).ToArray();

    internal static double? NullableDouble(JsonElement element) =>
        element.ValueKind == JsonValueKind.Null ? null : element.GetDouble();

    internal static int? NullableInt(JsonElement element) =>
        element.ValueKind == JsonValueKind.Null ? null : element.GetInt32();

    internal static string? NullableString(JsonElement element) =>
        element.ValueKind == JsonValueKind.Null ? null : element.GetString();
}

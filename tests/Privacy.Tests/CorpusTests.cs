using System.Globalization;
using System.Text;

namespace Icp.Privacy.Tests;

/// <summary>
/// Every line of corpus.tsv: the screen's decision and, for positives, the exact span of each finding in the original
/// text (located by searching for the expected substring after the previous one).
/// </summary>
public sealed class CorpusTests
{
    private static readonly DateOnly Today = new(2025, 10, 15);

    private const string NoFinding = "none";

    private sealed record CorpusCase(int Line, string Text, IReadOnlyList<string> Kinds,
        IReadOnlyList<string> Substrings);

    private static readonly Lazy<List<CorpusCase>> Cases = new(Load);

    public static TheoryData<int, string> Lines()
    {
        var data = new TheoryData<int, string>();
        foreach (var corpusCase in Cases.Value) data.Add(corpusCase.Line, corpusCase.Text);
        return data;
    }

    [Theory]
    [MemberData(nameof(Lines))]
    public void Corpus_line_is_screened_as_expected(int line, string text)
    {
        var corpusCase = Cases.Value.Single(c => c.Line == line);
        Assert.Equal(text, corpusCase.Text);
        var expected = new List<IdentifyingDataScreen.Match>();
        var searchFrom = 0;
        for (var i = 0; i < corpusCase.Kinds.Count; i++)
        {
            var start = text.IndexOf(corpusCase.Substrings[i], searchFrom, StringComparison.Ordinal);
            Assert.True(start >= 0, $"Line {line}: '{corpusCase.Substrings[i]}' is not in the text.");
            expected.Add(new IdentifyingDataScreen.Match(start, corpusCase.Substrings[i].Length, corpusCase.Kinds[i]));
            searchFrom = start + corpusCase.Substrings[i].Length;
        }
        var found = IdentifyingDataScreen.Find(text, Today);
        Assert.True(expected.SequenceEqual(found),
            $"Line {line}: expected [{Describe(text, expected)}] but found [{Describe(text, found)}].");
    }

    [Fact]
    public void Corpus_covers_every_kind_with_positives_and_has_near_misses()
    {
        var cases = Cases.Value;
        foreach (var kind in IdentifyingDataKind.All)
            Assert.True(cases.Count(c => c.Kinds.Contains(kind)) >= 10, $"Fewer than ten positives for {kind}.");
        Assert.True(cases.Count(c => c.Kinds.Count == 0) >= 50, "Fewer than fifty near misses.");
        Assert.Equal(cases.Count, cases.Select(c => c.Text).Distinct().Count());
    }

    private static string Describe(string text, IEnumerable<IdentifyingDataScreen.Match> matches) =>
        string.Join(", ", matches.Select(m => $"{m.Kind} '{text.Substring(m.Start, m.Length)}' at {m.Start}"));

    private static List<CorpusCase> Load()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "corpus.tsv");
        var cases = new List<CorpusCase>();
        var lineNumber = 0;
        foreach (var line in File.ReadLines(path, Encoding.UTF8))
        {
            lineNumber++;
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var columns = line.Split('\t');
            if (columns.Length < 2) throw new InvalidDataException($"corpus.tsv line {lineNumber}: no kind column.");
            var kinds = columns[1] == NoFinding ? [] : columns[1].Split(',');
            var substrings = columns.Skip(2).Select(Unescape).ToList();
            if (kinds.Length != substrings.Count || kinds.Any(k => !IdentifyingDataKind.All.Contains(k)))
                throw new InvalidDataException($"corpus.tsv line {lineNumber}: kinds and substrings do not pair up.");
            cases.Add(new CorpusCase(lineNumber, Unescape(columns[0]), kinds, substrings));
        }
        return cases;
    }

    // \uXXXX stands for one UTF-16 unit, so invisible and look-alike characters stay readable in the file.
    private static string Unescape(string value)
    {
        var result = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] == '\\' && i + 5 < value.Length && value[i + 1] == 'u')
            {
                var code = int.Parse(value.AsSpan(i + 2, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                result.Append((char)code);
                i += 5;
            }
            else
            {
                result.Append(value[i]);
            }
        }
        return result.ToString();
    }
}

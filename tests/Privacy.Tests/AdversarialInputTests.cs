namespace Icp.Privacy.Tests;

/// <summary>
/// Long runs of the characters the patterns care about must be screened without exceptions (and, by construction
/// of the bounded patterns, in time roughly linear in the length; time is not asserted here).
/// </summary>
public sealed class AdversarialInputTests
{
    private const int FieldLength = 20_000;
    private static readonly DateOnly Today = new(2025, 10, 15);

    public static TheoryData<string> Repeated() =>
    [
        "0 ", "0", "9", "a@", "at ", "dot ", "a.", "a @ ", "(at)", "[dot]", "x at y dot ", "1.", "1-", "1/", "07700 ",
        "+44 ", "(0)", "0.", "sw1a ", "a1 ", "1aa ", "born ", "3 march ", "3/3/", "the third of ", "twenty-", "\u200B",
        "\u00A0", "９", "٣", "𝟗", "'", "- ", "b. ", "a", " ",
    ];

    [Theory]
    [MemberData(nameof(Repeated))]
    public void A_long_field_of_repeated_input_is_screened(string unit)
    {
        var text = string.Concat(Enumerable.Repeat(unit, FieldLength / unit.Length + 1))[..FieldLength];
        var found = IdentifyingDataScreen.Find(text, Today);
        foreach (var match in found)
            Assert.InRange(match.Start + match.Length, match.Length, text.Length);
        IdentifyingDataScreen.Screen([("a", text), ("b", text)], Today);
    }

    [Fact]
    public void A_long_field_of_mixed_near_misses_is_screened()
    {
        var random = new Random(20251015);
        const string pieces = "0123456789 .-/@()+atdobrnhs'\u00A0\u200B";
        var text = string.Concat(Enumerable.Range(0, FieldLength).Select(_ => pieces[random.Next(pieces.Length)]));
        IdentifyingDataScreen.Find(text, Today);
        var fields = Enumerable.Range(0, 200).Select(i => ($"f{i}", (string?)text.Substring(i * 100, 100)));
        IdentifyingDataScreen.Screen(fields, Today);
    }
}

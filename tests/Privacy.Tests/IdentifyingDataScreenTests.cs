namespace Icp.Privacy.Tests;

public sealed class IdentifyingDataScreenTests
{
    private static readonly DateOnly Today = new(2025, 10, 15);

    private static List<IdentifyingDataScreen.Match> Find(string text) => IdentifyingDataScreen.Find(text, Today);

    // Hand-worked check digits. 943 476 5919: 9·10+4·9+3·8+4·7+7·6+6·5+5·4+9·3+1·2 = 299; 299 mod 11 = 2; 11−2 = 9 ✓.
    // 401 023 2137: 4·10+0+1·8+0+2·6+3·5+2·4+1·3+3·2 = 92; 92 mod 11 = 4; 11−4 = 7 ✓.
    // 400 000 0004: 4·10 = 40; 40 mod 11 = 7; 11−7 = 4 ✓.
    // 999 000 0018: 9·10+9·9+9·8+0+0+0+0+0+1·2 = 245; 245 mod 11 = 3; 11−3 = 8 ✓.
    // 140 320 2516 (a date and a count, see the corpus): 1·10+4·9+0+3·7+2·6+0+2·4+5·3+1·2 = 104; 104 mod 11 = 5;
    // 11−5 = 6 ✓, which is why the screen has to recognise the date rather than rely on the check digit.
    [Theory]
    [InlineData("9434765919")]
    [InlineData("4010232137")]
    [InlineData("4000000004")]
    [InlineData("9990000018")]
    [InlineData("1403202516")]
    public void Modulus11_accepts_valid_numbers(string number) =>
        Assert.True(IdentifyingDataScreen.PassesModulus11(number));

    // 943 476 5918: the check digit should be 9. 123 456 7890: 210 mod 11 = 1, 11−1 = 10 → never valid.
    // 000 000 0010: sum 1·2 = 2; 11−2 = 9, but the last digit is 0.
    [Theory]
    [InlineData("9434765918")]
    [InlineData("1234567890")]
    [InlineData("0000000010")]
    [InlineData("943476591")]
    [InlineData("94347659190")]
    [InlineData("943 476 5919")]
    [InlineData("９４３４７６５９１９")] // the check itself takes ASCII digits only; the screen folds before it
    public void Modulus11_rejects_invalid_numbers(string number) =>
        Assert.False(IdentifyingDataScreen.PassesModulus11(number));

    [Fact]
    public void Kinds_keep_their_public_names() =>
        Assert.Equal(["nhs_number", "email", "phone", "postcode", "date_of_birth"], IdentifyingDataKind.All);

    [Fact]
    public void Clean_and_empty_text_has_no_findings()
    {
        Assert.Empty(Find(""));
        Assert.Empty(Find("The shared duty desk meant one call reached everyone."));
    }

    [Fact]
    public void Several_kinds_in_one_text_are_each_reported_once_in_order()
    {
        const string text = "Born 14/03/1947, NHS 943 476 5919, lives at NW1 2DB, jo9434765919@example.org.";
        Assert.Equal(
        [
            new IdentifyingDataScreen.Match(5, 10, IdentifyingDataKind.DateOfBirth),
            new IdentifyingDataScreen.Match(21, 12, IdentifyingDataKind.NhsNumber),
            new IdentifyingDataScreen.Match(44, 7, IdentifyingDataKind.Postcode),
            new IdentifyingDataScreen.Match(53, 24, IdentifyingDataKind.Email),
        ], Find(text));
    }

    [Fact]
    public void A_phone_number_wins_over_ten_of_its_digits_passing_the_check()
    {
        // 7700 900 13?: 7·10+7·9+0+0+9·6+0+0+1·3+3·2 = 196; 196 mod 11 = 9; 11−9 = 2, so 7700 900 132 passes the check,
        // yet "+44 7700 900132" is one phone number, not an NHS number after a country code.
        Assert.True(IdentifyingDataScreen.PassesModulus11("7700900132"));
        Assert.Equal([new IdentifyingDataScreen.Match(5, 15, IdentifyingDataKind.Phone)], Find("Ring +44 7700 900132"));
    }

    [Fact]
    public void Spans_are_positions_in_the_original_text_around_dropped_and_wide_characters()
    {
        // The zero-width space and the soft hyphen vanish when folding, the mathematical bold digits (two UTF-16 units
        // each) become one digit each: the span still covers exactly the original characters.
        const string text = "x \u200Bjo\u00AD@nhs.net and 𝟗𝟒𝟑 476 5919.";
        var found = Find(text);
        Assert.Equal(2, found.Count);
        Assert.Equal(("jo\u00AD@nhs.net", IdentifyingDataKind.Email), (Span(text, found[0]), found[0].Kind));
        Assert.Equal(("𝟗𝟒𝟑 476 5919", IdentifyingDataKind.NhsNumber), (Span(text, found[1]), found[1].Kind));
    }

    [Fact]
    public void Screen_names_the_field_and_every_span()
    {
        var findings = IdentifyingDataScreen.Screen(
        [
            ("biggestDifference", "Clean text."),
            ("risks", "Call 07700 900123 or jo@x.org."),
            ("tags[1]", "NW1 2DB"),
            ("otherwise", null),
        ], Today);
        Assert.Equal(
        [
            new Finding("risks", 5, 12, IdentifyingDataKind.Phone),
            new Finding("risks", 21, 8, IdentifyingDataKind.Email),
            new Finding("tags[1]", 0, 7, IdentifyingDataKind.Postcode),
        ], findings);
    }

    private static string Span(string text, IdentifyingDataScreen.Match match) =>
        text.Substring(match.Start, match.Length);
}

namespace Icp.Privacy.Tests;

/// <summary>Identifying data split across adjacent fields is reported in every field it touches.</summary>
public sealed class FieldBoundaryTests
{
    private static readonly DateOnly Today = new(2025, 10, 15);

    [Fact]
    public void An_nhs_number_split_across_two_fields_is_reported_in_both()
    {
        var findings = IdentifyingDataScreen.Screen([("a", "NHS no 943 476"), ("b", "5919 was on the form.")], Today);
        Assert.Equal(
        [
            new Finding("a", 7, 7, IdentifyingDataKind.NhsNumber),
            new Finding("b", 0, 4, IdentifyingDataKind.NhsNumber),
        ], findings);
    }

    [Fact]
    public void Empty_fields_between_do_not_break_the_join_and_a_split_can_touch_three_fields()
    {
        var findings = IdentifyingDataScreen.Screen(
            [("tags[0]", "943"), ("tags[1]", null), ("tags[2]", "476"), ("tags[3]", "5919")], Today);
        Assert.Equal(
        [
            new Finding("tags[0]", 0, 3, IdentifyingDataKind.NhsNumber),
            new Finding("tags[2]", 0, 3, IdentifyingDataKind.NhsNumber),
            new Finding("tags[3]", 0, 4, IdentifyingDataKind.NhsNumber),
        ], findings);
    }

    [Theory]
    [InlineData("Ring 07700", "900123 after six.", "phone", 5, 5, 0, 6)]
    [InlineData("Write to jo.bloggs@", "nhs.net today.", "email", 9, 10, 0, 7)]
    [InlineData("She moved to NW1", "2DB last year.", "postcode", 13, 3, 0, 3)]
    public void Other_kinds_split_across_fields_are_reported_in_both(string first, string second, string kind,
        int firstStart, int firstLength, int secondStart, int secondLength) =>
        Assert.Equal(
        [
            new Finding("first", firstStart, firstLength, kind),
            new Finding("second", secondStart, secondLength, kind),
        ], IdentifyingDataScreen.Screen([("first", first), ("second", second)], Today));

    [Fact]
    public void Findings_within_a_field_are_not_repeated_by_the_join()
    {
        var findings = IdentifyingDataScreen.Screen([("a", "Call 07700 900123"), ("b", "or 020 7946 0958")], Today);
        Assert.Equal(
        [
            new Finding("a", 5, 12, IdentifyingDataKind.Phone),
            new Finding("b", 3, 13, IdentifyingDataKind.Phone),
        ], findings);
    }

    [Fact]
    public void Ordinary_adjacent_fields_stay_clean()
    {
        var findings = IdentifyingDataScreen.Screen(
        [
            ("title", "One call to the duty desk"),
            ("summary", "Seen 2025-09-02 by the duty desk, 12 visits"),
            ("outcomes[0].name", "30 fewer admissions"),
            ("tags[0]", "NW1"),
            ("tags[1]", "Q3 2025"),
        ], Today);
        Assert.Empty(findings);
    }
}

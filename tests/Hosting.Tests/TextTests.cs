using Icp.Hosting.Intake;

namespace Icp.Hosting.Tests;

public sealed class TextTests
{
    [Theory]
    [InlineData("plain", -1)]
    [InlineData("tab\tcr\rlf\n", -1)]
    [InlineData("a\u0000b", 1)]
    [InlineData("\u001f", 0)]
    [InlineData("x\u007f", 1)]
    [InlineData("x\u0085", 1)] // NEL, a C1 control
    [InlineData("😀 fine", -1)]
    [InlineData("\ufffe", 0)]
    public void Finds_the_first_forbidden_character(string text, int index) => Assert.Equal(index, Text.IndexOfForbidden(text));

    [Fact]
    public void Half_a_surrogate_pair_is_forbidden() // built in code: attribute strings cannot hold one
    {
        Assert.Equal(2, Text.IndexOfForbidden("ok" + (char)0xD800));
        Assert.Equal(0, Text.IndexOfForbidden((char)0xDC00 + "x"));
        Assert.Equal(1, Text.IndexOfForbidden("a" + (char)0xDC00 + (char)0xD800));
    }

    [Fact]
    public void An_echo_is_a_short_printable_prefix()
    {
        Assert.Equal("'east'", Text.Echo("east"));
        Assert.Equal("'" + new string('x', 32) + "…'", Text.Echo(new string('x', 10_000)));
        Assert.Equal("'a\ufffdb'", Text.Echo("a\u0000b"));
        Assert.Equal("null", Text.Echo(null));
    }

    [Fact]
    public void Check_names_required_forbidden_and_too_long_text()
    {
        var errors = new List<ValidationError>();
        Assert.False(Text.Check(errors, null, "name", " ", 200, required: true));
        Assert.False(Text.Check(errors, 3, "name", "a\u0000", 200));
        Assert.False(Text.Check(errors, null, "name", new string('x', 201), 200));
        Assert.True(Text.Check(errors, null, "name", null, 200));
        Assert.Equal(
        [
            new(null, "name", "Required."),
            new(3, "name", "Contains the control character U+0000; only tab, CR and LF are allowed."),
            new(null, "name", "At most 200 characters (201 given)."),
        ], errors);
    }

    [Theory]
    [InlineData("east", true)]
    [InlineData("a-b_c.d", true)]
    [InlineData("", false)]
    [InlineData("has space", false)]
    [InlineData("ümlaut", false)]
    [InlineData("a/b", false)]
    public void One_rule_for_ids(string id, bool valid) => Assert.Equal(valid, Ids.IsValid(id));

    [Fact]
    public void Ids_may_be_100_characters_and_no_more()
    {
        Assert.True(Ids.IsValid(new string('a', 100)));
        Assert.False(Ids.IsValid(new string('a', 101)));
    }

    [Theory]
    [InlineData("2025-03", true)]
    [InlineData("2025-13", false)]
    [InlineData("2025-3", false)]
    [InlineData("1899-12", false)]
    [InlineData("20250-1", false)]
    public void One_rule_for_months(string month, bool valid) => Assert.Equal(valid, Months.IsValid(month));
}

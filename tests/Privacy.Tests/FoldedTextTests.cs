using System.Text;

namespace Icp.Privacy.Tests;

public sealed class FoldedTextTests
{
    [Fact]
    public void Normalize_does_not_fold_non_ascii_under_invariant_globalization()
    {
        // Why the screen folds by hand: with InvariantGlobalization (Directory.Build.props) NFKC leaves full-width
        // digits as they are. If this ever starts to fold, the hand-written fold is still correct, only redundant.
        Assert.True(AppContext.TryGetSwitch("System.Globalization.Invariant", out var invariant) && invariant);
        Assert.Equal("９４３", "９４３".Normalize(NormalizationForm.FormKC));
    }

    [Theory]
    [InlineData("９４３４７６５９１９", "9434765919")]
    [InlineData("ｊｏ＠ｎｈｓ．ｎｅｔ", "jo@nhs.net")]
    [InlineData("a\u00A0b\u2007c\u202Fd\u2009e\u3000f\tg\nh", "a b c d e f g h")]
    [InlineData("a\u200Bb\u200Cc\u200Dd\u2060e\uFEFFf\u00ADg", "abcdefg")]
    [InlineData("1\u20102\u20113\u20124\u20135\u20146\u20157\u22128", "1-2-3-4-5-6-7-8")]
    [InlineData("\u0669\u0664\u0663 \u096F \u09E9 ¹²³ ①", "943 9 3 123 1")]
    [InlineData("SW1A 1AA", "sw1a 1aa")]
    [InlineData("e\u0301", "e")]
    [InlineData("943\u00B7476", "943.476")]
    public void Folds_look_alike_characters(string original, string folded) =>
        Assert.Equal(folded, FoldedText.Fold(original).Text);

    [Fact]
    public void Maps_folded_spans_back_to_the_original()
    {
        // "𝟗" is a surrogate pair; the zero-width space disappears; "ｊ" is one character either way.
        var text = FoldedText.Fold("x\u200B𝟗4ｊ");
        Assert.Equal("x94j", text.Text);
        Assert.Equal((0, 1), text.ToOriginal(0, 1));
        Assert.Equal((2, 2), text.ToOriginal(1, 1));
        Assert.Equal((2, 4), text.ToOriginal(1, 3));
        Assert.Equal((0, 6), text.ToOriginal(0, 4));
    }
}

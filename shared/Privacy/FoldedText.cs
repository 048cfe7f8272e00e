using System.Globalization;
using System.Text;

namespace Icp.Privacy;

/// <summary>
/// Text folded to one plain form so that look-alike characters cannot slip identifying data past the patterns, with a
/// map from every folded character back to the characters of the original it came from.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="string.Normalize(NormalizationForm)"/> cannot do this here: with <c>InvariantGlobalization</c> (set for
/// every project) it returns non-ASCII text unchanged, so full-width digits would stay full-width. The fold is
/// therefore written out for the characters that matter to the patterns, one original character (or surrogate pair)
/// to at most one folded character:
/// </para>
/// <list type="bullet">
/// <item>full-width forms U+FF01–U+FF5E and the small forms of <c>@ . ( ) +</c> become their ASCII characters;</item>
/// <item>every white-space character (no-break, figure, thin, narrow no-break and ideographic spaces, tabs and line
/// breaks) becomes a space;</item>
/// <item>format characters (zero-width space and joiners, word joiner, byte-order mark, soft hyphen, direction marks)
/// and combining marks are dropped;</item>
/// <item>every dash (Unicode dash punctuation and the minus sign) becomes <c>-</c>; middle dots and the ideographic
/// full stop become <c>.</c>; fraction and division slashes become <c>/</c>;</item>
/// <item>digits of any script, and superscript or circled single digits, become ASCII digits;</item>
/// <item>letters are lower-cased.</item>
/// </list>
/// </remarks>
internal sealed class FoldedText
{
    private readonly int[] _originalStarts;
    private readonly int[] _originalEnds;

    private FoldedText(string original, string text, int[] originalStarts, int[] originalEnds)
    {
        Original = original;
        Text = text;
        _originalStarts = originalStarts;
        _originalEnds = originalEnds;
    }

    public string Original { get; }

    public string Text { get; }

    public static FoldedText Fold(string original)
    {
        var text = new StringBuilder(original.Length);
        var starts = new List<int>(original.Length);
        var ends = new List<int>(original.Length);
        Span<char> utf16 = stackalloc char[2];
        var index = 0;
        while (index < original.Length)
        {
            Rune.DecodeFromUtf16(original.AsSpan(index), out var rune, out var consumed);
            if (FoldRune(rune) is { } folded)
            {
                var written = folded.EncodeToUtf16(utf16);
                for (var i = 0; i < written; i++)
                {
                    text.Append(utf16[i]);
                    starts.Add(index);
                    ends.Add(index + consumed);
                }
            }
            index += consumed;
        }
        return new FoldedText(original, text.ToString(), [.. starts], [.. ends]);
    }

    /// <summary>The span of the original text that folded to <paramref name="length"/> characters at
    /// <paramref name="start"/> (characters dropped inside the span are part of it).</summary>
    public (int Start, int Length) ToOriginal(int start, int length)
    {
        if (length <= 0) throw new ArgumentOutOfRangeException(nameof(length), "A span has at least one character.");
        var originalStart = _originalStarts[start];
        return (originalStart, _originalEnds[start + length - 1] - originalStart);
    }

    private static Rune? FoldRune(Rune rune)
    {
        var value = rune.Value;
        if (value is >= 0xFF01 and <= 0xFF5E) return Lower(new Rune(value - 0xFF01 + 0x21));
        if (Rune.IsWhiteSpace(rune)) return new Rune(' ');
        switch (Rune.GetUnicodeCategory(rune))
        {
            case UnicodeCategory.Format or UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark:
                return null;
            case UnicodeCategory.DashPunctuation:
                return new Rune('-');
            case UnicodeCategory.DecimalDigitNumber or UnicodeCategory.OtherNumber
                when Rune.GetNumericValue(rune) is var digit && digit is >= 0 and <= 9 && digit == Math.Floor(digit):
                return new Rune('0' + (int)digit);
        }
        return value switch
        {
            0x2212 => new Rune('-'), // minus sign
            0x00B7 or 0x2027 or 0x2219 or 0x22C5 or 0x30FB or 0x2024 or 0x3002 or 0xFF61 or 0xFE52 => new Rune('.'),
            0x2044 or 0x2215 => new Rune('/'),
            0xFE6B => new Rune('@'),
            0xFE59 => new Rune('('),
            0xFE5A => new Rune(')'),
            0xFE62 => new Rune('+'),
            _ => Lower(rune),
        };
    }

    private static Rune Lower(Rune rune) => Rune.ToLowerInvariant(rune);
}

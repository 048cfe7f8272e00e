using System.Globalization;
using System.Text;

namespace Icp.Hosting.Intake;

/// <summary>
/// What every text field accepts: no control characters except tab, CR and LF, no broken surrogate pairs, and a length
/// limit (documented in docs/api.md). Errors quote at most a short prefix of what was sent.
/// </summary>
public static class Text
{
    /// <summary>Names, titles, roles, organisations, sources.</summary>
    public const int MaxName = 200;

    /// <summary>Short free text: labels, item texts, descriptions.</summary>
    public const int MaxShortText = 1000;

    /// <summary>Long free text: narratives and survey comments.</summary>
    public const int MaxFreeText = 8000;

    /// <summary>The most of a bad value an error message ever quotes.</summary>
    public const int EchoLength = 32;

    /// <summary>The first character no text field may hold, or -1: a control character other than tab, CR and LF, half
    /// of a surrogate pair, or one of the noncharacters U+FFFE and U+FFFF.</summary>
    public static int IndexOfForbidden(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c < ' ' ? c is not ('\t' or '\r' or '\n') : c is (>= '\u007f' and <= '\u009f') or '\ufffe' or '\uffff')
                return i;
            if (char.IsHighSurrogate(c))
            {
                if (i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) i++;
                else return i;
            }
            else if (char.IsLowSurrogate(c)) return i;
        }
        return -1;
    }

    /// <summary>Why a forbidden character at <paramref name="index"/> is refused, naming it by code point only.</summary>
    public static string ForbiddenMessage(string text, int index) =>
        char.IsSurrogate(text[index])
            ? "Not valid Unicode text (half of a surrogate pair)."
            : $"Contains the control character U+{(int)text[index]:X4}; only tab, CR and LF are allowed.";

    /// <summary>Checks one text field: required or not, no forbidden characters, at most <paramref name="maxLength"/>.</summary>
    public static bool Check(List<ValidationError> errors, int? row, string field, string? value, int maxLength,
        bool required = false, string? requiredMessage = null)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            if (required) errors.Add(new(row, field, requiredMessage ?? "Required."));
            return !required;
        }
        var bad = IndexOfForbidden(value);
        if (bad >= 0)
        {
            errors.Add(new(row, field, ForbiddenMessage(value, bad)));
            return false;
        }
        if (value.Length > maxLength)
        {
            errors.Add(new(row, field, $"At most {maxLength:N0} characters ({value.Length:N0} given)."));
            return false;
        }
        return true;
    }

    /// <summary>A value quoted for an error message: at most <see cref="EchoLength"/> characters, anything unprintable
    /// shown as U+FFFD, so an error never carries a payload back or breaks a log line.</summary>
    public static string Echo(string? value)
    {
        if (value is null) return "null";
        var shown = new StringBuilder(Math.Min(value.Length, EchoLength) + 3).Append('\'');
        var enumerator = StringInfo.GetTextElementEnumerator(value);
        var count = 0;
        while (enumerator.MoveNext())
        {
            if (count++ == EchoLength)
            {
                shown.Append('…');
                break;
            }
            var element = enumerator.GetTextElement();
            shown.Append(IndexOfForbidden(element) >= 0 || element.Any(char.IsControl) ? "\ufffd" : element);
        }
        return shown.Append('\'').ToString();
    }
}

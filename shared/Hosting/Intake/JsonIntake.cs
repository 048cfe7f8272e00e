using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using System.Text.Unicode;

namespace Icp.Hosting.Intake;

/// <summary>
/// Every JSON body a service accepts passes here before it is bound: malformed JSON, a key given twice in one object,
/// text with a control character or broken Unicode, and numbers beyond a double are refused, each named by its place
/// in the body. Binding then refuses unknown fields and values of the wrong kind (see <see cref="Options"/>), and
/// <see cref="ToError"/> turns what the serializer says into the same <c>{ row, field, message }</c>, without .NET
/// type names. Elements of the top-level arrays named in <see cref="RowArrays"/> are rows, numbered from 1.
/// </summary>
public static partial class JsonIntake
{
    public const int MaxErrors = 1000;

    /// <summary>No field of any request has a longer name; a longer one is refused rather than echoed back.</summary>
    public const int MaxNameLength = 100;

    /// <summary>Top-level arrays whose elements the validators number as rows.</summary>
    public static readonly IReadOnlySet<string> RowArrays = new HashSet<string>(StringComparer.Ordinal)
    {
        "rows", "responses", "items",
    };

    /// <summary>Reading options for request bodies: unknown fields and repeated keys are errors.</summary>
    public static readonly JsonSerializerOptions Options = Strict(new JsonSerializerOptions(ServiceDefaults.Json));

    /// <summary>Makes options strict for reading requests (also applied to the framework's own body binding).</summary>
    public static JsonSerializerOptions Strict(JsonSerializerOptions options)
    {
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        options.AllowDuplicateProperties = false;
        return options;
    }

    // One step of a path: a property of an object, or an index of an array.
    private readonly record struct Key(string? Property, int Index)
    {
        public static Key Of(string property) => new(property, -1);
        public static Key At(int index) => new(null, index);
    }

    /// <summary>Everything wrong with the body that no endpoint would accept, in document order (at most <see cref="MaxErrors"/>).</summary>
    public static List<ValidationError> Scan(ReadOnlySpan<byte> json)
    {
        var errors = new List<ValidationError>();
        // For each open container, the key of its current child, and the names an object has had so far.
        var path = new List<Key>();
        var names = new List<HashSet<string>?>();
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 64 });
        try
        {
            while (errors.Count < MaxErrors && reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                        path.Add(Key.Of("?"));
                        names.Add([]);
                        break;
                    case JsonTokenType.StartArray:
                        path.Add(Key.At(0));
                        names.Add(null);
                        break;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        path.RemoveAt(path.Count - 1);
                        names.RemoveAt(names.Count - 1);
                        NextElement(path);
                        break;
                    case JsonTokenType.PropertyName:
                        var name = ReadText(ref reader, errors, path, isName: true);
                        if (name is { Length: > MaxNameLength })
                        {
                            path[^1] = Key.Of("?");
                            errors.Add(Locate(path, $"A field name longer than {MaxNameLength} characters."));
                            name = null;
                        }
                        path[^1] = Key.Of(name ?? "?");
                        if (name is not null && !names[^1]!.Add(name))
                            errors.Add(Locate(path, "Given more than once; send each field once."));
                        break;
                    case JsonTokenType.String:
                        ReadText(ref reader, errors, path, isName: false);
                        NextElement(path);
                        break;
                    case JsonTokenType.Number:
                        if (!(reader.TryGetDouble(out var number) && double.IsFinite(number)))
                            errors.Add(Locate(path, "A number out of range."));
                        NextElement(path);
                        break;
                    default:
                        NextElement(path);
                        break;
                }
            }
        }
        catch (JsonException e)
        {
            errors.Add(new(null, "body", $"Not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1})."));
        }
        return errors;
    }

    private static void NextElement(List<Key> path)
    {
        if (path.Count > 0 && path[^1].Property is null) path[^1] = Key.At(path[^1].Index + 1);
    }

    // The text of a name (null for values, and for names that are refused); errors for what no field may hold.
    private static string? ReadText(ref Utf8JsonReader reader, List<ValidationError> errors, List<Key> path, bool isName)
    {
        ReadOnlySpan<byte> raw = reader.HasValueSequence ? System.Buffers.BuffersExtensions.ToArray(reader.ValueSequence) : reader.ValueSpan;
        string text;
        if (!reader.ValueIsEscaped)
        {
            if (!Utf8.IsValid(raw))
            {
                errors.Add(Locate(path, isName ? "A field name is not valid UTF-8." : "Not valid UTF-8 text."));
                return null;
            }
            // Unescaped JSON text cannot hold C0 controls; DEL and the C1 controls can appear as raw UTF-8.
            if (!ContainsDelOrC1(raw)) return isName ? reader.GetString() : null;
            text = Encoding.UTF8.GetString(raw);
        }
        else
        {
            try
            {
                text = reader.GetString()!;
            }
            catch (InvalidOperationException)
            {
                errors.Add(Locate(path, isName ? "A field name is not valid Unicode." : "Not valid Unicode text."));
                return null;
            }
        }
        var bad = Text.IndexOfForbidden(text);
        if (bad < 0) return isName ? text : null;
        errors.Add(Locate(path, isName
            ? $"A field name contains U+{(int)text[bad]:X4}; only printable characters are allowed."
            : Text.ForbiddenMessage(text, bad)));
        return null;
    }

    private static bool ContainsDelOrC1(ReadOnlySpan<byte> utf8)
    {
        for (var i = 0; i < utf8.Length; i++)
            if (utf8[i] == 0x7f || (utf8[i] == 0xc2 && i + 1 < utf8.Length && utf8[i + 1] is >= 0x80 and <= 0x9f)) return true;
        return false;
    }

    // rows[3].unitId → row 4, field "unitId"; items[0] → row 1, field "row"; a.b[2].c → field "a.b[2].c".
    private static ValidationError Locate(IReadOnlyList<Key> path, string message)
    {
        int? row = null;
        var keys = path;
        if (path.Count >= 2 && path[0].Property is { } top && RowArrays.Contains(top) && path[1].Property is null)
        {
            row = path[1].Index + 1;
            keys = path.Skip(2).ToList();
        }
        var field = new StringBuilder();
        foreach (var key in keys)
        {
            if (key.Property is not null) field.Append(field.Length > 0 ? "." : "").Append(key.Property);
            else field.Append('[').Append(key.Index).Append(']');
        }
        return new(row, field.Length > 0 ? field.ToString() : row is null ? "body" : "row", message);
    }

    /// <summary>What the serializer refused, as the contract's error: the field from its JSON path, a message without
    /// .NET type names (the serializer's own message names the type that holds the field, not what it expects).</summary>
    public static ValidationError ToError(JsonException e)
    {
        var message = e.Message;
        var text = message.Contains("could not be mapped to any .NET member", StringComparison.Ordinal)
            ? "Not a field of this request."
            : message.StartsWith("Duplicate", StringComparison.Ordinal)
                ? "Given more than once; send each field once."
                : "A value of the wrong kind for this field (e.g. text where a number belongs, or a list where one value does).";
        return Locate(ParsePath(e.Path), text);
    }

    // "$.rows[3].value", "$['odd key'][2]" → keys.
    private static List<Key> ParsePath(string? path) =>
        string.IsNullOrEmpty(path)
            ? []
            : PathPart().Matches(path).Select(m => m.Groups["index"].Success
                ? Key.At(int.Parse(m.Groups["index"].Value, System.Globalization.CultureInfo.InvariantCulture))
                : Key.Of(m.Groups["name"].Success ? m.Groups["name"].Value : m.Groups["quoted"].Value.Replace("''", "'"))).ToList();

    [GeneratedRegex(@"\.(?<name>[^.\[]+)|\['(?<quoted>(?:[^']|'')*)'\]|\[(?<index>\d+)\]")]
    private static partial Regex PathPart();
}

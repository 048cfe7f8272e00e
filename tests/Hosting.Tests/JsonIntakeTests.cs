using System.Text;
using System.Text.Json;
using Icp.Hosting.Intake;

namespace Icp.Hosting.Tests;

public sealed class JsonIntakeTests
{
    private static List<ValidationError> Scan(string json) => JsonIntake.Scan(Encoding.UTF8.GetBytes(json));

    [Fact]
    public void A_clean_body_has_no_errors() =>
        Assert.Empty(Scan("""{ "source": "epr", "rows": [ { "unitId": "east", "value": 1.5, "note": "tab\tand\r\nnew line" } ], "x": null }"""));

    [Fact]
    public void Every_control_character_is_named_by_row_and_field_without_quoting_the_value()
    {
        var errors = Scan("""
            { "name": "a\u0000b",
              "rows": [ { "unitId": "east" }, { "unitId": "we\u001bst", "tags": ["ok", "b\u0007ell"] } ],
              "answers": { "Q1": "x\u007fy" } }
            """);
        Assert.Equal(
        [
            new(null, "name", "Contains the control character U+0000; only tab, CR and LF are allowed."),
            new(2, "unitId", "Contains the control character U+001B; only tab, CR and LF are allowed."),
            new(2, "tags[1]", "Contains the control character U+0007; only tab, CR and LF are allowed."),
            new(null, "answers.Q1", "Contains the control character U+007F; only tab, CR and LF are allowed."),
        ], errors);
    }

    [Fact]
    public void Raw_del_and_c1_controls_in_utf8_are_refused_too()
    {
        var body = Encoding.UTF8.GetBytes("{\"a\":\"x\u007fy\",\"b\":\"p\u0085q\",\"c\":\"é\"}");
        Assert.Equal(["a", "b"], JsonIntake.Scan(body).Select(e => e.Field));
    }

    [Fact]
    public void A_key_given_twice_in_one_object_is_named_but_the_same_key_in_two_rows_is_fine()
    {
        var errors = Scan("""{ "rows": [ { "unitId": "a", "value": 1 }, { "unitId": "b", "unitId": "c" } ], "source": "x", "source": "y" }""");
        Assert.Equal([(2, "unitId"), ((int?)null, "source")], errors.Select(e => (e.Row, e.Field)));
        Assert.All(errors, e => Assert.Equal("Given more than once; send each field once.", e.Message));
    }

    [Fact]
    public void Broken_surrogates_and_invalid_utf8_are_refused()
    {
        Assert.Equal([(null, "name", "Not valid Unicode text.")], Scan("""{ "name": "\ud800x" }""").Select(e => ((int?)e.Row, e.Field, e.Message)));
        var invalid = new byte[] { (byte)'{', (byte)'"', (byte)'n', (byte)'"', (byte)':', (byte)'"', 0xff, 0xfe, (byte)'"', (byte)'}' };
        Assert.Equal("Not valid UTF-8 text.", Assert.Single(JsonIntake.Scan(invalid)).Message);
        Assert.Empty(Scan("""{ "emoji": "\ud83d\ude00", "raw": "😀" }"""));
    }

    [Fact]
    public void A_control_character_in_a_field_name_is_refused()
    {
        var error = Assert.Single(Scan("""{ "rows": [ { "unit\u0000Id": "east" } ] }"""));
        Assert.Equal((1, "?", "A field name contains U+0000; only printable characters are allowed."), (error.Row, error.Field, error.Message));
    }

    [Fact]
    public void A_field_name_longer_than_100_characters_is_refused_not_echoed()
    {
        var error = Assert.Single(Scan($$"""{ "{{new string('n', 101)}}": 1 }"""));
        Assert.Equal(("?", "A field name longer than 100 characters."), (error.Field, error.Message));
    }

    [Fact]
    public void Numbers_beyond_a_double_and_malformed_json_are_refused()
    {
        Assert.Equal([(1, "value")], Scan("""{ "rows": [ { "value": 1e400 } ] }""").Select(e => (e.Row, e.Field)));
        var error = Assert.Single(Scan("""{ "rows": [ { "value": 1, } """));
        Assert.Equal("body", error.Field);
        Assert.StartsWith("Not valid JSON (line 1", error.Message);
        Assert.Equal("body", Assert.Single(Scan(new string('[', 100) + new string(']', 100))).Field); // deeper than 64
    }

    private sealed record Row(string? UnitId, double? Value);
    private sealed record Feed(string? Source, List<Row>? Rows);

    private static ValidationError BindingError(string json)
    {
        var e = Assert.ThrowsAny<JsonException>(() => JsonSerializer.Deserialize<Feed>(json, JsonIntake.Options));
        var error = JsonIntake.ToError(e);
        Assert.DoesNotContain("System.", error.Message + error.Field);
        return error;
    }

    [Fact]
    public void Binding_errors_name_the_field_and_never_a_dotnet_type()
    {
        Assert.Equal(new ValidationError(2, "patientName", "Not a field of this request."),
            BindingError("""{ "rows": [ { "unitId": "a" }, { "unitId": "b", "patientName": "x" } ] }"""));
        Assert.Equal(new ValidationError(null, "patientName", "Not a field of this request."), BindingError("""{ "patientName": "x" }"""));
        const string wrongKind = "A value of the wrong kind for this field (e.g. text where a number belongs, or a list where one value does).";
        Assert.Equal(new ValidationError(1, "value", wrongKind), BindingError("""{ "rows": [ { "value": "ten" } ] }"""));
        Assert.Equal(new ValidationError(null, "rows", wrongKind), BindingError("""{ "rows": 5 }"""));
        Assert.Equal(new ValidationError(null, "source", wrongKind), BindingError("""{ "source": [1] }"""));
        Assert.Equal(new ValidationError(null, "source", "Given more than once; send each field once."),
            BindingError("""{ "source": "a", "sour\u0063e": "b" }"""));
    }
}

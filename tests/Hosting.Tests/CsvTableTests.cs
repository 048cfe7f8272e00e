using System.Text;
using Icp.Hosting.Intake;

namespace Icp.Hosting.Tests;

public sealed class CsvTableTests
{
    private const string NotClosed = "A quoted field is not closed.";
    private const string StrayQuote =
        "A quote may only enclose a whole field; a quote inside one is written twice (\"\").";

    private static (int Row, string[]? Cells)[] Records(List<CsvRecord> records) =>
        records.Select(r => (r.Row, r.Cells)).ToArray();

    private static (int? Row, string Field, string Message)[] Errors(List<ValidationError> errors) =>
        errors.Select(e => (e.Row, e.Field, e.Message)).ToArray();

    [Fact]
    public void Reads_a_header_and_numbers_records_from_one()
    {
        var (header, records, errors) = CsvTable.Read("a,b\n1,2\n3,4\n");
        Assert.Equal(["a", "b"], header);
        Assert.Equal([(1, ["1", "2"]), (2, ["3", "4"])], Records(records));
        Assert.Empty(errors);
    }

    [Theory]
    [InlineData("")]
    [InlineData("\uFEFF")]
    public void Nothing_at_all_is_an_empty_table(string text)
    {
        var (header, records, errors) = CsvTable.Read(text);
        Assert.Equal((0, 0, 0), (header.Length, records.Count, errors.Count));
    }

    [Fact]
    public void A_byte_order_mark_is_ignored_and_header_names_are_trimmed()
    {
        var (header, records, errors) = CsvTable.Read("\uFEFF a ,b\t\r\n1,2");
        Assert.Equal(["a", "b"], header);
        Assert.Equal([(1, ["1", "2"])], Records(records));
        Assert.Empty(errors);
    }

    [Fact]
    public void Blank_lines_are_skipped_and_not_counted()
    {
        var (_, records, errors) = CsvTable.Read("a,b\n\n1,2\n\r\n\n3,4\n\n\r");
        Assert.Equal([(1, ["1", "2"]), (2, ["3", "4"])], Records(records));
        Assert.Empty(errors);
    }

    [Fact]
    public void A_line_of_one_empty_quoted_field_is_blank_too()
    {
        var (_, records, _) = CsvTable.Read("a\n\"\"\n1\n");
        Assert.Equal([(1, ["1"])], Records(records));
    }

    [Fact]
    public void A_line_of_spaces_is_a_record_of_one_cell()
    {
        var (_, records, errors) = CsvTable.Read("a,b\n  \n1,2");
        Assert.Equal([(1, null), (2, ["1", "2"])], Records(records));
        Assert.Equal([(1, "row", "Expected 2 fields, found 1.")], Errors(errors));
    }

    [Fact]
    public void Crlf_lf_and_a_lone_cr_each_end_a_record()
    {
        var (_, records, errors) = CsvTable.Read("a,b\r1,2\r\n3,4\n5,6\n\r7,8");
        Assert.Equal([(1, ["1", "2"]), (2, ["3", "4"]), (3, ["5", "6"]), (4, ["7", "8"])], Records(records));
        Assert.Empty(errors);
    }

    [Fact]
    public void A_trailing_comma_is_an_empty_last_cell()
    {
        var (_, records, _) = CsvTable.Read("a,b\n1,");
        Assert.Equal([(1, ["1", ""])], Records(records));
    }

    [Fact]
    public void Quoted_fields_hold_commas_doubled_quotes_and_line_breaks()
    {
        var text = "\"a,1\",b\n" +
                   "\"x\"\"y\",\"\"\"\"\n" +
                   "\"\",\"\"\"\"\"\"\n" +
                   "\"l1\r\nl2\",\"x\ny\rz\"\n" +
                   "3,\"tab\there\"\n";
        var (header, records, errors) = CsvTable.Read(text);
        Assert.Equal(["a,1", "b"], header);
        Assert.Equal(
        [
            (1, ["x\"y", "\""]),
            (2, ["", "\"\""]),
            (3, ["l1\r\nl2", "x\ny\rz"]),
            (4, ["3", "tab\there"]),
        ], Records(records));
        Assert.Empty(errors);
    }

    [Fact]
    public void A_quoted_field_longer_than_any_buffer_is_read_whole()
    {
        var body = string.Concat(Enumerable.Repeat("ab\"\"c,\n", 40_000));
        var (_, records, errors) = CsvTable.Read($"a,b\n1,\"{body}\"\n2,3\n");
        Assert.Empty(errors);
        Assert.Equal(2, records.Count);
        Assert.Equal(body.Replace("\"\"", "\""), records[0].Cells![1]);
        Assert.Equal([(2, ["2", "3"])], Records(records)[1..]);
    }

    [Fact]
    public void A_record_with_more_or_fewer_cells_than_the_header_is_refused_by_row()
    {
        var (_, records, errors) = CsvTable.Read("a,b,c\n1,2\n\n1,2,3,4\n1,2,3\n");
        Assert.Equal([(1, null), (2, null), (3, ["1", "2", "3"])], Records(records));
        Assert.Equal([(1, "row", "Expected 3 fields, found 2."), (2, "row", "Expected 3 fields, found 4.")],
            Errors(errors));
    }

    [Fact]
    public void A_quote_left_open_in_a_record_refuses_it_and_takes_the_rest_of_the_text()
    {
        var (_, records, errors) = CsvTable.Read("a,b\n1,2\n3,\"open\n4,5\n");
        Assert.Equal([(1, ["1", "2"]), (2, null)], Records(records));
        Assert.Equal([(2, "row", NotClosed)], Errors(errors));

        (_, records, errors) = CsvTable.Read("a,b\n1,\"x\"\"");
        Assert.Equal([(1, null)], Records(records));
        Assert.Equal([(1, "row", NotClosed)], Errors(errors));
    }

    [Fact]
    public void A_quote_left_open_in_the_header_is_named()
    {
        var (header, records, errors) = CsvTable.Read("a,\"b\n1,2\n");
        Assert.Equal(["a", "b\n1,2"], header);
        Assert.Empty(records);
        Assert.Equal([(null, "header", NotClosed)], Errors(errors));
    }

    [Theory]
    [InlineData("a,b\n5\" tall,x\n6\" wide,y\n")] // read as one record, so the second line must not pass unnoticed
    [InlineData("a,b\n5\" tall,x\n")]
    [InlineData("a,b\n\"ab\"cd,x\n")]
    [InlineData("a,b\n \"x,y\",z\n")]
    [InlineData("a,b\nx,\"p\"q\"r\"\n")]
    public void A_quote_that_does_not_enclose_a_whole_field_is_refused(string text)
    {
        var (_, records, errors) = CsvTable.Read(text);
        Assert.Equal(1, Assert.Single(records).Row);
        Assert.Null(records[0].Cells);
        Assert.Equal([(1, "row", StrayQuote)], Errors(errors));
    }

    [Fact]
    public void A_quote_that_does_not_enclose_a_whole_header_name_is_named()
    {
        var (_, _, errors) = CsvTable.Read("a\"b\",c\n1,2\n");
        Assert.Equal([(null, "header", StrayQuote)], Errors(errors));
    }

    [Fact]
    public void A_header_column_given_twice_is_refused_trimmed_and_ignoring_case()
    {
        var (_, _, errors) = CsvTable.Read("id,Name,ID ,x,,\n");
        Assert.Equal([(null, "id", "The column appears 2 times in the header; give it once.")], Errors(errors));
    }

    [Fact]
    public void Control_characters_are_refused_per_cell_and_in_the_header()
    {
        var (header, records, errors) = CsvTable.Read("a,b\u0001\n1,x\u007fy\n\"\u0000\",\"\u0085\"\n3,4\n");
        Assert.Equal(["a", "b\u0001"], header);
        Assert.Equal([(1, null), (2, null), (3, ["3", "4"])], Records(records));
        Assert.Equal(
        [
            (null, "column 2", "Contains the control character U+0001; only tab, CR and LF are allowed."),
            (1, "column 2", "Contains the control character U+007F; only tab, CR and LF are allowed."),
            (2, "a", "Contains the control character U+0000; only tab, CR and LF are allowed."),
            (2, "column 2", "Contains the control character U+0085; only tab, CR and LF are allowed."),
        ], Errors(errors));
    }

    [Fact]
    public void Fifty_thousand_rows_are_read_in_order()
    {
        const int rows = 50_000;
        var text = new StringBuilder("unit_id,indicator_id,period,value,numerator,denominator\r\n");
        for (var i = 1; i <= rows; i++)
        {
            if (i % 1000 == 0) text.Append("\r\n");
            text.Append(i % 7 == 0 ? $"\"unit \"\"{i}\"\",\nnorth\"" : $"unit-{i}")
                .Append($",referrals-in,2025-{i % 12 + 1:00},{i},,\r\n");
        }
        var (header, records, errors) = CsvTable.Read(text.ToString());

        Assert.Empty(errors);
        Assert.Equal(6, header.Length);
        Assert.Equal(rows, records.Count);
        for (var i = 1; i <= rows; i++)
        {
            var record = records[i - 1];
            Assert.Equal(i, record.Row);
            Assert.Equal([i % 7 == 0 ? $"unit \"{i}\",\nnorth" : $"unit-{i}", "referrals-in",
                $"2025-{i % 12 + 1:00}", $"{i}", "", ""], record.Cells!);
        }
    }
}

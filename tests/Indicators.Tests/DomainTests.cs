using Icp.Indicators.Domain;
using Xunit;

namespace Icp.Indicators.Tests;

public sealed class FeedValidationTests
{
    private static readonly HashSet<string> Units = ["east"];
    private static readonly Dictionary<string, FeedIndicator> Measures = new()
    {
        ["referrals-in"] = new("count"), ["reablement"] = new("proportion"), ["admissions"] = new("rate"),
        ["incidents-by-type"] = new("count", ["falls", "medication"]),
    };
    private static readonly DateOnly Today = new(2025, 6, 20);

    private static FeedRowRequest Row(string? unit, string? indicator, string? period, double? value = null, double? numerator = null, double? denominator = null) =>
        new(unit, indicator, period, value, numerator, denominator);

    [Fact]
    public void Every_bad_row_is_named_and_nothing_is_returned_to_store()
    {
        var request = new FeedRequest("epr", "s1",
        [
            Row("nowhere", "referrals-in", "2025-01", 5),
            Row("east", "unknown", "2025-01", 5),
            Row("east", "referrals-in", "2025-13", 5),
            Row("east", "referrals-in", "2025-07", 5),
            Row("east", "referrals-in", "2025-02"),
            Row("east", "referrals-in", "2025-03", double.NaN),
            Row("east", "referrals-in", "2025-04", -3),
            Row("east", "reablement", "2025-01", numerator: 60, denominator: 50),
            Row("east", "reablement", "2025-02", numerator: 3, denominator: 0),
            Row("east", "reablement", "2025-03", numerator: 0, denominator: 0),
            Row("east", "referrals-in", "2025-05", 10),
            Row("east", "referrals-in", "2025-05", 11),
            Row("east", "reablement", "2025-04", 0.5),
            Row("east", "referrals-in", "2025-06", 2.5),
            Row("east", "admissions", "2025-01", numerator: 2, denominator: 0),
        ]);

        var (rows, errors) = FeedValidation.Validate(request, Units, Measures, Today);

        Assert.Empty(rows);
        Assert.Equal(
        [
            (1, "unitId"), (2, "indicatorId"), (3, "period"), (4, "period"), (5, "value"), (6, "value"), (7, "value"),
            (8, "numerator"), (9, "numerator"), (12, "period"), (13, "numerator"), (13, "denominator"), (13, "value"),
            (14, "value"), (15, "denominator"),
        ], errors.Select(e => (e.Row!.Value, e.Field)).ToList());
        Assert.Equal("Row 11 already gives referrals-in for east in 2025-05.", errors.Single(e => e.Row == 12).Message);
        Assert.Equal("Must be a number.", errors.Single(e => e.Row == 6).Message);
        Assert.Equal("2025-07 is in the future.", errors.Single(e => e.Row == 4).Message);
    }

    [Fact]
    public void A_month_of_nothing_to_count_is_accepted()
    {
        var request = new FeedRequest("epr", "s1", [Row("east", "reablement", "2025-06", numerator: 0, denominator: 0)]);
        var (rows, errors) = FeedValidation.Validate(request, Units, Measures, Today);
        Assert.Empty(errors);
        Assert.Equal(new FeedRow("east", "reablement", "2025-06", null, 0, 0), Assert.Single(rows));
    }

    [Fact]
    public void An_indicator_counted_by_type_needs_one_of_its_categories_and_each_type_is_a_series_of_its_own()
    {
        FeedRowRequest Typed(string period, string? category, double value = 3) => Row("east", "incidents-by-type", period, value) with { Category = category };
        var good = new FeedRequest("datix", "s1",
        [
            Typed("2025-01", "falls"), Typed("2025-01", "medication", 2), Row("east", "referrals-in", "2025-01", 9),
        ]);
        var (rows, errors) = FeedValidation.Validate(good, Units, Measures, Today);
        Assert.Empty(errors);
        Assert.Equal(["incidents-by-type:falls", "incidents-by-type:medication", "referrals-in"], rows.Select(r => r.IndicatorId));

        var bad = new FeedRequest("datix", "s2",
        [
            Typed("2025-01", null), Typed("2025-01", "burns"), Row("east", "referrals-in", "2025-01", 9) with { Category = "falls" },
            Typed("2025-02", "falls"), Typed("2025-02", "falls", 4),
        ]);
        (rows, errors) = FeedValidation.Validate(bad, Units, Measures, Today);
        Assert.Empty(rows);
        Assert.Equal([(1, "category"), (2, "category"), (3, "category"), (5, "period")], errors.Select(e => (e.Row!.Value, e.Field)));
        Assert.Equal("'incidents-by-type' is counted by type: give one of falls, medication.", errors[0].Message);
        Assert.Equal("Unknown category 'burns' of 'incidents-by-type'; use one of falls, medication.", errors[1].Message);
        Assert.Equal("'referrals-in' is not counted by type: leave the category out.", errors[2].Message);
        Assert.Equal("Row 4 already gives incidents-by-type:falls for east in 2025-02.", errors[3].Message);
    }

    [Fact]
    public void Submission_level_fields_are_checked()
    {
        var (_, errors) = FeedValidation.Validate(new FeedRequest(" ", "bad id!", []), Units, Measures, Today);
        Assert.Equal(["source", "submissionId", "rows"], errors.Select(e => e.Field));
        Assert.All(errors, e => Assert.Null(e.Row));
    }
}

public sealed class FeedCsvTests
{
    [Fact]
    public void An_optional_category_column_carries_the_type()
    {
        var (rows, errors) = FeedCsv.Parse("unit_id,indicator_id,category,period,value,numerator,denominator\neast,incidents-by-type,falls,2025-01,4,,\neast,referrals-in,,2025-01,12,,\n");
        Assert.Empty(errors);
        Assert.Equal([("incidents-by-type", "falls"), ("referrals-in", null)], rows.Select(r => (r!.IndicatorId, r.Category)));
    }

    [Fact]
    public void Columns_in_any_order_quotes_and_blank_lines()
    {
        var text = "\uFEFFperiod,unit_id,indicator_id,value,numerator,denominator\r\n2025-01,east,referrals-in,12,,\r\n\r\n\"2025-02\",\"east\",reablement,,40,57\r\n";
        var (rows, errors) = FeedCsv.Parse(text);
        Assert.Empty(errors);
        Assert.Equal([new FeedRowRequest("east", "referrals-in", "2025-01", 12, null, null), new FeedRowRequest("east", "reablement", "2025-02", null, 40, 57)], rows);
    }

    [Fact]
    public void Data_rows_are_numbered_from_one_and_bad_numbers_become_NaN()
    {
        var text = "unit_id,indicator_id,period,value,numerator,denominator\neast,referrals-in,2025-01,abc,,\neast,referrals-in,2025-02,5\n";
        var (rows, errors) = FeedCsv.Parse(text);
        Assert.Equal(2, rows.Count);
        Assert.True(double.IsNaN(rows[0]!.Value!.Value));
        Assert.Null(rows[1]);
        var error = Assert.Single(errors);
        Assert.Equal((2, "row", "Expected 6 fields, found 4."), (error.Row!.Value, error.Field, error.Message));
    }

    [Fact]
    public void A_header_lacking_or_adding_columns_is_refused()
    {
        var (_, errors) = FeedCsv.Parse("unit_id,indicator_id,period,value,numerator,comment\n");
        Assert.Equal(
        [
            ("header", "The header lacks the column 'denominator'."),
            ("comment", "Unknown column; the columns are unit_id,indicator_id,period,value,numerator,denominator."),
        ], errors.Select(e => (e.Field, e.Message)));
    }

    [Fact]
    public void A_column_given_twice_and_a_cell_with_a_control_character_are_refused()
    {
        var (_, repeated) = FeedCsv.Parse("unit_id,indicator_id,period,value,numerator,denominator,Unit_ID\n");
        Assert.Equal([("unit_id", "The column appears 2 times in the header; give it once.")],
            repeated.Where(e => e.Field == "unit_id").Select(e => (e.Field, e.Message)));

        var (rows, errors) = FeedCsv.Parse("unit_id,indicator_id,period,value,numerator,denominator\neast,contacts,2025-01,1,,\n" +
            "ea\u0000st,contacts,2025-02,2,,\n");
        Assert.NotNull(rows[0]);
        Assert.Null(rows[1]);
        Assert.Equal([(2, "unit_id", "Contains the control character U+0000; only tab, CR and LF are allowed.")],
            errors.Select(e => (e.Row!.Value, e.Field, e.Message)));
    }
}

public sealed class CompletenessTests
{
    [Fact]
    public void Gaps_are_missing_and_due_months_after_the_latest_are_overdue()
    {
        // May is due on 15 June; on 20 June it is overdue. March is a gap between January and April.
        var entry = Completeness.Assess("epr", "east", "referrals-in", ["2025-04", "2025-01", "2025-02"], new DateOnly(2025, 6, 20), 15);
        Assert.Equal(["2025-03"], entry.Missing);
        Assert.Equal(["2025-05"], entry.Overdue);
        Assert.Equal((5, 3, "overdue", "2025-05"), (entry.Expected, entry.Received, entry.Status, entry.LastDuePeriod));
    }

    [Fact]
    public void On_the_due_day_itself_the_month_is_not_yet_overdue()
    {
        var entry = Completeness.Assess("epr", "east", "referrals-in", ["2025-01", "2025-02", "2025-04"], new DateOnly(2025, 6, 15), 15);
        Assert.Empty(entry.Overdue);
        Assert.Equal((4, "missing", "2025-04"), (entry.Expected, entry.Status, entry.LastDuePeriod));
    }

    [Fact]
    public void Months_sent_ahead_of_their_due_date_count_and_nothing_is_owed()
    {
        var entry = Completeness.Assess("epr", "east", "referrals-in", ["2025-05", "2025-06"], new DateOnly(2025, 6, 20), 15);
        Assert.Equal((2, 2, "complete"), (entry.Expected, entry.Received, entry.Status));
    }
}

public sealed class ReferenceDataValidationTests
{
    [Fact]
    public void Unit_errors_name_each_field_including_attributes()
    {
        var errors = ReferenceDataValidation.Validate("east", new UnitRequest("", "ward", "east", "intervention", null,
            [new("co-location", "yes", "2024-06"), new("co-location", "no", "2024-06"), new("bad name", "", "June")]));
        Assert.Equal(["name", "kind", "parentId", "goLive", "attributes[1].from", "attributes[2].name", "attributes[2].value", "attributes[2].from"],
            errors.Select(e => e.Field));
    }

    [Fact]
    public void The_default_catalogue_has_the_eighteen_signals_and_each_is_a_valid_indicator()
    {
        Assert.Equal(18, DefaultCatalogue.Indicators.Count);
        Assert.Equal(18, DefaultCatalogue.Indicators.Select(e => e.IndicatorId).Distinct().Count());
        Assert.All(DefaultCatalogue.Indicators, e => Assert.Empty(ReferenceDataValidation.Validate(e.IndicatorId, e.Definition)));
        Assert.Equal(["Culture", "Efficiency", "Experience", "Safety", "System flow"],
            DefaultCatalogue.Indicators.Select(e => e.Definition.Domain).Distinct().Order());
    }
}

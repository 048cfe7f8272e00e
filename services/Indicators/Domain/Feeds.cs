using System.Text.Json;
using System.Text.Json.Serialization;
using Icp.Contracts.Indicators;
using Icp.Hosting;
using Icp.Hosting.Intake;

namespace Icp.Indicators.Domain;

public sealed record FeedRequest(string? Source, string? SubmissionId, List<FeedRowRequest?>? Rows);

/// <summary>One row as sent. A number field that held something other than a number arrives as NaN.</summary>
public sealed record FeedRowRequest(string? UnitId, string? IndicatorId, string? Period,
    [property: JsonConverter(typeof(LenientNumberConverter))] double? Value,
    [property: JsonConverter(typeof(LenientNumberConverter))] double? Numerator,
    [property: JsonConverter(typeof(LenientNumberConverter))] double? Denominator)
{
    /// <summary>For an indicator counted by type: which type this row counts.</summary>
    public string? Category { get; init; }
}

/// <summary>What feed validation needs to know of an indicator.</summary>
public sealed record FeedIndicator(string Measure, IReadOnlyList<string>? Categories = null);

/// <summary>
/// Reads a JSON number, or null; anything else (a string, true, an object) becomes NaN so that validation can name
/// the row and field instead of the whole body failing to parse. JSON itself has no NaN, so NaN always means "not a number".
/// </summary>
public sealed class LenientNumberConverter : JsonConverter<double?>
{
    public override bool HandleNull => true;

    public override double? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.Number:
                return reader.TryGetDouble(out var number) ? number : double.NaN;
            default:
                reader.Skip();
                return double.NaN;
        }
    }

    public override void Write(Utf8JsonWriter writer, double? value, JsonSerializerOptions options)
    {
        if (value is { } v) writer.WriteNumberValue(v);
        else writer.WriteNullValue();
    }
}

/// <summary>
/// A validated feed row: one monthly value of one series for one unit. <see cref="IndicatorId"/> is the series id:
/// the indicator's id, or <c>{indicatorId}:{category}</c> for an indicator counted by type.
/// </summary>
public sealed record FeedRow(string UnitId, string IndicatorId, string Period, double? Value, double? Numerator, double? Denominator)
{
    public bool SameValueAs(double? value, double? numerator, double? denominator) =>
        Value == value && Numerator == numerator && Denominator == denominator;
}

public static class FeedValidation
{
    public const int MaxRows = 200_000;

    /// <summary>
    /// Checks the whole submission and names every bad row (rows are numbered from 1). Only a submission with
    /// no error at all may be stored.
    /// </summary>
    public static (List<FeedRow> Rows, List<ValidationError> Errors) Validate(FeedRequest request,
        IReadOnlySet<string> knownUnits, IReadOnlyDictionary<string, FeedIndicator> indicators, DateOnly today,
        IReadOnlySet<int>? rowsAlreadyRejected = null)
    {
        var errors = new List<ValidationError>();
        if (!Ids.IsValid(request.Source))
            errors.Add(new(null, "source", "Name the sending system. " + Ids.Rule));
        if (!Ids.IsValid(request.SubmissionId))
            errors.Add(new(null, "submissionId", "Give a submission id. " + Ids.Rule));
        if (request.Rows is null || request.Rows.Count == 0)
        {
            errors.Add(new(null, "rows", "A feed needs at least one row."));
            return ([], errors);
        }
        if (request.Rows.Count > MaxRows)
        {
            errors.Add(new(null, "rows", $"A feed may carry at most {MaxRows} rows; split it into several submissions."));
            return ([], errors);
        }

        var currentMonth = new DateOnly(today.Year, today.Month, 1);
        var rows = new List<FeedRow>(request.Rows.Count);
        var firstRowByKey = new Dictionary<(string, string, string), int>();
        for (var i = 0; i < request.Rows.Count; i++)
        {
            var rowNumber = i + 1;
            var row = request.Rows[i];
            if (rowsAlreadyRejected?.Contains(rowNumber) == true) continue;
            if (row is null)
            {
                errors.Add(new(rowNumber, "row", "The row is empty."));
                continue;
            }
            var before = errors.Count;
            if (string.IsNullOrEmpty(row.UnitId)) errors.Add(new(rowNumber, "unitId", "A unit id is required."));
            else if (!knownUnits.Contains(row.UnitId)) errors.Add(new(rowNumber, "unitId", $"Unknown unit {Text.Echo(row.UnitId)}."));

            FeedIndicator? indicator = null;
            if (string.IsNullOrEmpty(row.IndicatorId)) errors.Add(new(rowNumber, "indicatorId", "An indicator id is required."));
            else if (!indicators.TryGetValue(row.IndicatorId, out indicator))
                errors.Add(new(rowNumber, "indicatorId", $"Unknown indicator {Text.Echo(row.IndicatorId)}."));
            else CheckCategory(row, indicator, rowNumber, errors);

            if (!Months.TryParse(row.Period, out var month))
                errors.Add(new(rowNumber, "period", Months.Rule));
            else if (month > currentMonth)
                errors.Add(new(rowNumber, "period", $"{row.Period} is in the future."));

            if (indicator is not null) CheckValues(row, indicator.Measure, rowNumber, errors);

            if (errors.Count > before) continue;
            var series = IndicatorSeries.Id(row.IndicatorId!, row.Category);
            var key = (row.UnitId!, series, row.Period!);
            if (firstRowByKey.TryGetValue(key, out var first))
            {
                errors.Add(new(rowNumber, "period", $"Row {first} already gives {series} for {row.UnitId} in {row.Period}."));
                continue;
            }
            firstRowByKey[key] = rowNumber;
            rows.Add(new FeedRow(row.UnitId!, series, row.Period!, row.Value, row.Numerator, row.Denominator));
        }
        return (errors.Count == 0 ? rows : [], errors);
    }

    private static void CheckCategory(FeedRowRequest row, FeedIndicator indicator, int rowNumber, List<ValidationError> errors)
    {
        if (indicator.Categories is not { } categories)
        {
            if (row.Category is not null)
                errors.Add(new(rowNumber, "category", $"'{row.IndicatorId}' is not counted by type: leave the category out."));
        }
        else if (row.Category is null)
            errors.Add(new(rowNumber, "category", $"'{row.IndicatorId}' is counted by type: give one of {string.Join(", ", categories)}."));
        else if (!categories.Contains(row.Category))
            errors.Add(new(rowNumber, "category",
                $"Unknown category {Text.Echo(row.Category)} of '{row.IndicatorId}'; use one of {string.Join(", ", categories)}."));
    }

    private static void CheckValues(FeedRowRequest row, string measure, int rowNumber, List<ValidationError> errors)
    {
        // Plausible sizes per measure: a count, or a proportion's parts, up to MaxCount; a mean or a rate's parts up to
        // MaxAmount in magnitude (a value of 1e308 is a mistake, and would overflow every sum drawn from it).
        var limit = measure is "count" or "proportion" ? Vocabulary.MaxCount : Vocabulary.MaxAmount;
        void NumberCheck(double? x, string field)
        {
            if (x is not { } v) return;
            if (!double.IsFinite(v)) errors.Add(new(rowNumber, field, "Must be a number."));
            else if (Math.Abs(v) > limit) errors.Add(new(rowNumber, field, $"At most {limit:N0} for a {measure}."));
        }

        var before = errors.Count;
        NumberCheck(row.Value, "value");
        NumberCheck(row.Numerator, "numerator");
        NumberCheck(row.Denominator, "denominator");
        if (errors.Count > before) return;
        if (Vocabulary.IsRatio(measure))
        {
            if (row.Numerator is null) errors.Add(new(rowNumber, "numerator", $"A {measure} needs a numerator."));
            if (row.Denominator is null) errors.Add(new(rowNumber, "denominator", $"A {measure} needs a denominator."));
            if (row.Value is not null) errors.Add(new(rowNumber, "value", $"Give a {measure} as numerator and denominator, not as a value."));
            if (row.Numerator is < 0) errors.Add(new(rowNumber, "numerator", "Must not be negative."));
            if (row.Denominator is < 0) errors.Add(new(rowNumber, "denominator", "Must not be negative."));
            if (measure == "proportion" && row is { Numerator: { } n, Denominator: { } d } && n > d && d >= 0)
                errors.Add(new(rowNumber, "numerator", d == 0
                    ? "A positive numerator over a zero denominator is not a proportion."
                    : $"The numerator ({n}) is above the denominator ({d})."));
            if (measure == "rate" && row is { Numerator: > 0, Denominator: 0 })
                errors.Add(new(rowNumber, "denominator", "A positive numerator over a zero denominator is not a rate."));
            if (measure == "proportion" && row.Numerator is { } num && num != Math.Floor(num))
                errors.Add(new(rowNumber, "numerator", "A proportion's numerator is a whole count."));
            if (measure == "proportion" && row.Denominator is { } den && den != Math.Floor(den))
                errors.Add(new(rowNumber, "denominator", "A proportion's denominator is a whole count."));
            return;
        }
        if (row.Value is null) errors.Add(new(rowNumber, "value", $"A {measure} needs a value."));
        if (row.Numerator is not null || row.Denominator is not null)
            errors.Add(new(rowNumber, "value", $"A {measure} is a single value, not a numerator and denominator."));
        if (measure == "count" && row.Value is { } count)
        {
            if (count < 0) errors.Add(new(rowNumber, "value", "A count must not be negative."));
            else if (count != Math.Floor(count)) errors.Add(new(rowNumber, "value", "A count is a whole number."));
        }
    }
}

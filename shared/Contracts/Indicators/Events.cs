using System.Text.Json.Serialization;

namespace Icp.Contracts.Indicators;

/// <summary>An organisation unit was created or changed (the whole new state).</summary>
public sealed record UnitDefinedV1(
    string UnitId,
    string Name,
    string Kind,
    string? ParentId,
    string Role,
    string? GoLive)
{
    /// <summary>Dated attributes (e.g. co-location from a month), ordered by name then month; absent in older events.</summary>
    public IReadOnlyList<UnitAttribute>? Attributes { get; init; }
}

/// <summary>(Part of UnitDefinedV1, not an event of its own.) One dated attribute of a unit: <c>Name</c> has <c>Value</c> from the month <c>From</c> (YYYY-MM) onwards,
/// until an entry of the same name with a later month.</summary>
public sealed record UnitAttribute(string Name, string Value, string From);

/// <summary>An indicator was created or changed (the whole new state).</summary>
public sealed record IndicatorDefinedV1(
    string IndicatorId,
    string Name,
    string Domain,
    string Measure,
    string Improvement,
    double? Target,
    string Chart,
    string? UnitLabel,
    double? Multiplier,
    IReadOnlyList<string>? Phases = null,
    int? ShiftLength = null,
    int? TrendLength = null)
{
    /// <summary>
    /// For an indicator counted by type (e.g. incident reports by type): the types. Each is a series of its own,
    /// fed with the row's <c>category</c> and named <c>{indicatorId}:{category}</c>. Absent in older events.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? Categories { get; init; }
}

/// <summary>
/// A monthly value for one (indicator, unit, period) was recorded or revised. Revisions of one
/// series share a stream; the highest stream version is the newest revision.
/// </summary>
public sealed record IndicatorValueRevisedV1(
    string IndicatorId,
    string UnitId,
    string Period,
    double? Value,
    double? Numerator,
    double? Denominator,
    string Source,
    string SubmissionId)
{
    /// <summary>The type this value counts, for an indicator with categories; absent otherwise and in older events.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Category { get; init; }

    /// <summary>The series the value belongs to: the indicator id, or <c>{indicatorId}:{category}</c>.</summary>
    [JsonIgnore]
    public string SeriesId => IndicatorSeries.Id(IndicatorId, Category);
}

/// <summary>
/// One feed submission's changes to one series: every month it sent whose value differs from the one before (first
/// values included), in month order. One event per (series, submission), on the series' stream: the highest stream
/// version holding a month is that month's newest revision. Replaces <see cref="IndicatorValueRevisedV1"/> (one event
/// per month) from 2026-12; stores written before keep their V1 events, which consumers still read.
/// </summary>
public sealed record IndicatorValuesRevisedV2(
    string IndicatorId,
    string? Category,
    string UnitId,
    string Source,
    string SubmissionId,
    IReadOnlyList<MonthRevision> Months)
{
    /// <summary>The series the values belong to: the indicator id, or <c>{indicatorId}:{category}</c>.</summary>
    [JsonIgnore]
    public string SeriesId => IndicatorSeries.Id(IndicatorId, Category);
}

/// <summary>(Part of IndicatorValuesRevisedV2, not an event of its own.) One month's value as the submission sent it:
/// <c>Value</c> for a count or mean, <c>Numerator</c> and <c>Denominator</c> for a proportion or rate.</summary>
public sealed record MonthRevision(string Period, double? Value, double? Numerator, double? Denominator);

/// <summary>
/// Names the series of an indicator with categories. ':' cannot appear in an indicator id, so a series id is never
/// mistaken for one.
/// </summary>
public static class IndicatorSeries
{
    public const char Separator = ':';

    public static string Id(string indicatorId, string? category) =>
        category is null ? indicatorId : $"{indicatorId}{Separator}{category}";

    public static (string IndicatorId, string? Category) Parse(string seriesId) =>
        seriesId.IndexOf(Separator) is var i and >= 0 ? (seriesId[..i], seriesId[(i + 1)..]) : (seriesId, null);
}

/// <summary>
/// An entry of a unit's intervention log (the whole new state): what changed there in a month (a service started, a
/// PDSA cycle), optionally for one indicator, by whom, with the stories that tell of it. Drawn on that unit's charts.
/// </summary>
public sealed record InterventionRecordedV1(
    string InterventionId,
    string UnitId,
    string? IndicatorId,
    string Month,
    string Kind,
    string Title,
    string? Description,
    string? RecordedBy,
    IReadOnlyList<string> StoryIds);

/// <summary>A whole feed submission was accepted and stored.</summary>
public sealed record FeedSubmissionAcceptedV1(
    string SubmissionId,
    string Source,
    int Rows,
    int Revisions)
{
    /// <summary>SHA-256 (hex) of the submission's rows in a canonical order: a replay with the same rows has the same
    /// digest. Absent in older events.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Digest { get; init; }
}

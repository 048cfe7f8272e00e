using Icp.Contracts.CaseStudies;
using Icp.Projections.CaseStudies;
using Xunit;

namespace Icp.CaseStudies.Tests;

public sealed class TheographSvgTests
{
    private static readonly TheographNarrative Timeline = new("Mrs P", null,
    [
        new TheographEvent("2024-01-01", "gp", "Review", null),
        new TheographEvent("2024-02-01", "admission", null, 10),
        new TheographEvent("2024-02-15", "ae", "Fall <at home>", null),
    ]);

    [Fact]
    public void Spans_whole_months_from_the_first_event_to_the_end_of_the_last()
    {
        Assert.Equal((new DateOnly(2024, 1, 1), new DateOnly(2024, 3, 1)), CaseStudyTheographSvg.Span(Timeline.Events));
    }

    // Plot: x from 170 to 880 (710 px) over 60 days (Jan 31 + Feb 29). Rows in setting order: A&E, admission, GP,
    // 32 px each from y = 50, so centres at 66, 98 and 130.
    // A&E on 15 Feb: day 45 → 170 + 45·710/60 = 702.5. GP on 1 Jan: 170.
    // Admission 1–11 Feb: x = 170 + 31·710/60 = 536.83, width 10·710/60 = 118.33, bar 14 px tall centred on 98 → y 91.
    [Fact]
    public void Draws_one_row_per_setting_and_a_mark_per_event()
    {
        var svg = CaseStudyTheographSvg.Render("Service use: Mrs P", Timeline);
        Assert.Contains("<circle cx=\"702.5\" cy=\"66\"", svg);
        Assert.Contains("<rect x=\"536.83\" y=\"91\" width=\"118.33\" height=\"14\"", svg);
        Assert.Contains("<circle cx=\"170\" cy=\"130\"", svg);
        Assert.Contains(">A&amp;E (1)</text>", svg);
        Assert.Contains(">Hospital admission (1)</text>", svg);
        Assert.Contains(">GP (1)</text>", svg);
        Assert.Contains("height=\"186\"", svg); // 50 + 3 rows · 32 + 40
        Assert.Contains("Fall &lt;at home&gt;", svg);
        Assert.DoesNotContain("Outpatient", svg);
    }
}

public sealed class StoryBookTests
{
    private static LibraryRecord Story(string id, string title, string text) => new(
        new LibraryItem(id, "story", title, "District nurse", "2025-09", ["east"], ["reablement"], [], ["duty desk"], [], [], null, null, 0),
        new CaseRecordNarrative(title, ["duty desk"], Story: new StoryNarrative(text, "She stayed at home.", "", "", "")));

    private static LibraryRecord Theograph() => new(
        new LibraryItem("tg-1", "theograph", "Service use: Mr K", null, "2025-06", ["east"], [], [], [], [], [], null, null, 0),
        new CaseRecordNarrative("Service use: Mr K", [], Theograph: new TheographNarrative("Mr K", null,
            [new TheographEvent("2025-05-02", "ae", null, null)])));

    [Fact]
    public void Is_one_self_contained_document_with_every_record_in_order()
    {
        var html = StoryBook.Render("East INT stories", [Story("st-1", "First", "One"), Theograph(), Story("st-2", "Second", "Two")],
            new DateTimeOffset(2025, 10, 1, 12, 0, 0, TimeSpan.Zero));
        Assert.StartsWith("<!DOCTYPE html>", html);
        Assert.True(html.IndexOf("id=\"r-st-1\"", StringComparison.Ordinal) < html.IndexOf("id=\"r-tg-1\"", StringComparison.Ordinal));
        Assert.True(html.IndexOf("id=\"r-tg-1\"", StringComparison.Ordinal) < html.IndexOf("id=\"r-st-2\"", StringComparison.Ordinal));
        Assert.Contains("<svg", html); // the theograph is inline
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("src=", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<link", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("href=\"http", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("What made the biggest difference", html);
        Assert.Contains("3 published record(s)", html);
    }

    [Fact]
    public void Escapes_what_the_storytellers_wrote()
    {
        var html = StoryBook.Render("Book", [Story("st-1", "A <b>bold</b> title", "<script>alert(1)</script> & more")], DateTimeOffset.UnixEpoch);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; more", html);
        Assert.Contains("A &lt;b&gt;bold&lt;/b&gt; title", html);
        Assert.DoesNotContain("<script>", html);
    }
}

public sealed class RealistViewTests
{
    private static Cmoc Cmoc(string mechanism, params string[] sources) =>
        new("Shared base", ["co-location"], ["rota gaps"], mechanism, "Faster referrals",
            sources.Select(s => new EvidenceSource(s, null, "summary")).ToList());

    [Fact]
    public void Merges_outcomes_and_themes_across_records_and_counts_evidence()
    {
        var first = new RealistNarrative(null,
            [new ProgrammeTheoryOutcome("Sharing information", "d1", [Cmoc("Trust", "interview", "observation")]),
             new ProgrammeTheoryOutcome("Better care", null, [Cmoc("Continuity", "field_notes")])],
            [new RealistTheme("Huddles", ["time"], ["chair"])]);
        var second = new RealistNarrative(null,
            [new ProgrammeTheoryOutcome(" sharing INFORMATION ", "d2", [Cmoc("Access", "interview")]),
             new ProgrammeTheoryOutcome("Building relationships", null, [Cmoc("Familiarity", "observation")])],
            [new RealistTheme("huddles", ["time", "space"], [])]);

        var view = CaseStudyRealistView.Build([("re-1", "One", first), ("re-2", "Two", second)]);

        // Canonical order: Building relationships, Sharing information, then Better care.
        Assert.Equal(["Building relationships", "Sharing information", "Better care"], view.Outcomes.Select(o => o.Name));
        var sharing = view.Outcomes[1];
        Assert.Equal(["Trust", "Access"], sharing.Cmocs.Select(c => c.Mechanism));
        Assert.Equal(["re-1", "re-2"], sharing.Cmocs.Select(c => c.RecordId));
        Assert.Equal(["d1", "d2"], sharing.Descriptions);
        Assert.Equal(new Dictionary<string, int> { ["interview"] = 2, ["observation"] = 1 }, sharing.EvidenceBySource);
        var theme = Assert.Single(view.Themes);
        Assert.Equal(["time", "space"], theme.Barriers);
        Assert.Equal(["re-1", "re-2"], theme.RecordIds);
    }
}

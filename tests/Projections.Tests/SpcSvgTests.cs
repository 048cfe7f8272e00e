using System.Xml.Linq;
using Icp.Contracts.Indicators;
using Icp.Projections.Spc;
using Icp.Spc;
using Xunit;

namespace Icp.Projections.Tests;

public sealed class SpcSvgTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    private static XDocument Draw(IReadOnlyList<MonthlyValue> values, string improvement = "increase", double? target = null,
        IReadOnlyList<string>? rebase = null)
    {
        var indicator = new IndicatorDefinedV1("ind", "Contacts", "System flow", "count", improvement, target, "xmr", null, null);
        var chart = SpcCharts.Build(indicator, "east", values, new SpcQuery(null, rebase ?? [], false, RuleSet.MakingDataCount, null));
        return XDocument.Parse(SpcSvg.Render(chart, indicator.Name, percent: false));
    }

    [Fact]
    public void Each_plotted_month_is_a_dot_coloured_by_its_point_type_and_a_gap_has_none()
    {
        // Jan 2024 - Feb 2025 alternate 8, 16; March 2025 is missing; April 2025 is 60.
        // Mean = (7*8 + 7*16 + 60) / 15 = 15.2; moving ranges 13 x 8 and |60 - 16| = 44 -> AMR = 148/14;
        // UPL = 15.2 + 2.66 * 148/14 = 43.32: April is astronomical, an improvement for "increase"; the rest alternate
        // about the mean, so no other rule fires.
        var values = Enumerable.Range(0, 14).Select(i => new MonthlyValue(new DateOnly(2024, 1, 1).AddMonths(i).ToString("yyyy-MM"), i % 2 == 0 ? 8 : 16, null, null))
            .Append(new MonthlyValue("2025-04", 60, null, null)).ToList();
        var svg = Draw(values);
        var dots = svg.Descendants(Svg + "circle").Where(c => (string?)c.Attribute("class") == "point").ToList();
        Assert.Equal(15, dots.Count);
        Assert.DoesNotContain(dots, d => (string?)d.Attribute("data-period") == "2025-03");
        var last = dots.Single(d => (string?)d.Attribute("data-period") == "2025-04");
        Assert.Equal("improvement", (string?)last.Attribute("data-point-type"));
        Assert.Equal(SpcSvg.Improvement, (string?)last.Attribute("fill"));
        Assert.All(dots.Where(d => d != last), d => Assert.Equal(SpcSvg.Common, (string?)d.Attribute("fill")));
        Assert.Equal("improvement_high", (string?)svg.Descendants(Svg + "g").Single(g => (string?)g.Attribute("class") == "variation-icon").Attribute("data-icon"));
    }

    [Fact]
    public void A_target_a_phase_break_and_provisional_limits_are_drawn()
    {
        var values = Enumerable.Range(1, 8).Select(m => new MonthlyValue($"2024-{m:00}", m <= 4 ? 10 + m % 2 : 20 + m % 2, null, null)).ToList();
        var svg = Draw(values, target: 15, rebase: ["2024-05"]);
        Assert.Single(svg.Descendants(Svg + "line"), l => (string?)l.Attribute("class") == "target");
        Assert.Single(svg.Descendants(Svg + "line"), l => (string?)l.Attribute("class") == "phase-break");
        Assert.Equal(2, svg.Descendants(Svg + "polyline").Count(l => (string?)l.Attribute("class") == "mean"));
        Assert.Single(svg.Descendants(Svg + "text"), t => (string?)t.Attribute("class") == "provisional");
    }
}

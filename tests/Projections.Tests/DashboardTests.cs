using Icp.Contracts.Indicators;
using Icp.Projections.Dashboard;
using Icp.Projections.Spc;
using Xunit;

namespace Icp.Projections.Tests;

public sealed class DashboardTests
{
    [Fact]
    public void Each_unit_shows_its_latest_value_recent_signals_and_missing_or_overdue_months()
    {
        var east = new UnitDefinedV1("east", "East", "neighbourhood", "camden", "intervention", "2024-10");
        var west = new UnitDefinedV1("west", "West", "neighbourhood", "camden", "comparison", null);
        var contacts = new IndicatorDefinedV1("contacts", "Contacts", "System flow", "count", "increase", null, "xmr", null, null);
        // East: Jan 2024 - Jun 2025 alternating 8, 16 except 60 in April and June 2025. Mean = (9 x 8 + 7 x 16 + 2 x 60) / 18
        // = 16.89; moving ranges 14 x 8 and 3 x 52 -> AMR = 268 / 17 = 15.76; UPL = 16.89 + 2.66 x 15.76 = 58.82 < 60:
        // two astronomical improvements, both in the last 12 months. Complete to June.
        // West: Jan - Oct 2024 only, with March missing: 9 of the 18 months to June 2025 present.
        var eastValues = Enumerable.Range(0, 18).Select(i => new MonthlyValue(new DateOnly(2024, 1, 1).AddMonths(i).ToString("yyyy-MM"),
            i is 15 or 17 ? 60 : i % 2 == 0 ? 8 : 16, null, null)).ToList();
        var westValues = Enumerable.Range(0, 10).Where(i => i != 2).Select(i => new MonthlyValue(new DateOnly(2024, 1, 1).AddMonths(i).ToString("yyyy-MM"), 10, null, null)).ToList();
        var values = new Dictionary<(string, string), List<MonthlyValue>> { [("contacts", "east")] = eastValues, [("contacts", "west")] = westValues };

        var view = ProgrammeDashboard.Build([west, east], [contacts], values, new DateOnly(2025, 7, 15), null);

        Assert.Equal("2025-06", view.LastFullMonth);
        Assert.Equal(["east", "west"], view.Units.Select(u => u.UnitId)); // intervention first
        var eastCell = Assert.Single(view.Units[0].Indicators);
        Assert.Equal(("2025-06", 60.0), (eastCell.LatestPeriod, eastCell.LatestValue));
        Assert.Equal(2, eastCell.ImprovementSignals);
        Assert.Equal("improvement_high", eastCell.VariationIcon);
        Assert.False(eastCell.Overdue);
        Assert.Equal(1.0, view.Units[0].Completeness);

        var westCell = Assert.Single(view.Units[1].Indicators);
        Assert.True(westCell.Overdue);
        Assert.Equal(18 - 9, westCell.MonthsMissing); // Jan 2024 - Jun 2025 expected, 9 present
        Assert.Equal(9.0 / 18, view.Units[1].Completeness, 12);
    }
}

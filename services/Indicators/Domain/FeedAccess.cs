using Icp.Contracts.Indicators;
using Icp.Hosting;
using Icp.Hosting.Security;

namespace Icp.Indicators.Domain;

/// <summary>What a source client may submit beside its own source (<see cref="Caller.SourceFor"/>): only the units and
/// indicators it is registered for, when its registration names some.</summary>
public static class FeedAccess
{
    /// <summary>Rows (numbered from 1) for a unit or an indicator the client is not registered for.</summary>
    public static List<ValidationError> Unregistered(Caller caller, IReadOnlyList<FeedRowRequest?> rows)
    {
        var errors = new List<ValidationError>();
        if (caller.IsOperator) return errors;
        for (var i = 0; i < rows.Count; i++)
        {
            if (rows[i] is not { } row) continue;
            if (caller.Units.Count > 0 && row.UnitId is { } unit && !caller.Units.Contains(unit))
                errors.Add(new(i + 1, "unitId", "This client is not registered to submit for this unit."));
            var indicator = row.IndicatorId is { } id ? IndicatorSeries.Parse(id).IndicatorId : null;
            if (caller.Indicators.Count > 0 && indicator is not null && !caller.Indicators.Contains(indicator))
                errors.Add(new(i + 1, "indicatorId", "This client is not registered to submit this indicator."));
        }
        return errors;
    }
}

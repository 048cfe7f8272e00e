namespace Icp.Projections.EventLog;

/// <summary>The raw event log: every integration event, paged and resumable, for integrators.</summary>
public static class EventLogModule
{
    public static RouteGroupBuilder MapEventLog(this RouteGroupBuilder api) => api.MapEventFeedEndpoints();
}

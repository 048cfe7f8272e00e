namespace Icp.Hosting;

/// <summary>Names one service: used for its database, its queues, its telemetry and its published events.</summary>
public sealed record ServiceInfo(string Name)
{
    public string DefaultDatabase => $"icp_{Name}";
}

namespace NeoCloud.Fleet.Topology;

/// <summary>What the latest signals say about a node or GPU, independent of its lifecycle state.</summary>
public enum HealthStatus
{
    Unknown,
    Healthy,
    Degraded,
    Unhealthy,
}

namespace NeoCloud.Fleet.Topology;

/// <summary>Whether a data center is our own build or leased colocation space.</summary>
public enum SiteOwnership
{
    SelfBuilt,
    Leased,
}

namespace NeoCloud.Workloads.Specs;

/// <summary>The failure domain a service's replicas are spread across, so one failure takes down as few as possible.</summary>
public enum SpreadDomain
{
    Node,
    Rack,
    Leaf,
    Site,
}

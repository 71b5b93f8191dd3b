using NeoCloud.Fleet.Lifecycle;
using NeoCloud.Fleet.Topology;
using NeoCloud.Scheduling.Placement;
using NeoCloud.Scheduling.Topology;

namespace NeoCloud.Workloads.Placement;

/// <summary>
/// Translates the fleet into what placement sees: each node's capacity and its NVLink domain, leaf group, pod (block) and
/// site; and which nodes may take new work.
/// </summary>
public static class FleetPlacementView
{
    /// <summary>The placement topology of every node, in the fleet's node order (node index i of the fleet is index i here).</summary>
    public static IReadOnlyList<TopologyNode> Nodes(FleetTopology fleet)
    {
        ArgumentNullException.ThrowIfNull(fleet);
        var nodes = new TopologyNode[fleet.Nodes.Count];
        for (int i = 0; i < nodes.Length; i++)
        {
            nodes[i] = Of(fleet.Nodes[i]);
        }

        return nodes;
    }

    public static TopologyNode Of(Node node)
    {
        ArgumentNullException.ThrowIfNull(node);
        return new TopologyNode(
            new NodeCapacity(node.Id.Value, checked(node.CpuCores * 1000), checked(node.MemoryGiB * 1024), node.GpuCount, node.Sku),
            node.NvLinkDomain.Value,
            node.LeafGroup,
            node.Pod.Value,
            node.Site.Value);
    }

    /// <summary>New work may go to a node that is in service (available) and not known to be unhealthy.</summary>
    public static bool IsSchedulable(LifecycleState state, HealthStatus health) =>
        state == LifecycleState.Available && health != HealthStatus.Unhealthy;

    /// <summary>A GPU takes new work only while it is itself available and not unhealthy (a quarantined GPU on a good node does not).</summary>
    public static bool IsGpuUsable(Gpu gpu)
    {
        ArgumentNullException.ThrowIfNull(gpu);
        return IsSchedulable(gpu.State, gpu.Health);
    }
}

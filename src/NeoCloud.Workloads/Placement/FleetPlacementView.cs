using NeoCloud.Fleet.Lifecycle;
using NeoCloud.Fleet.Topology;
using NeoCloud.Scheduling.Placement;
using NeoCloud.Scheduling.Topology;

namespace NeoCloud.Workloads.Placement;

/// <summary>
/// Translates the fleet into what placement sees: each node's capacity and its NVLink domain, leaf group, pod (block), site
/// and rack; and which nodes may take new work.
/// </summary>
public static class FleetPlacementView
{
    /// <summary>The placement topology of every node, in the fleet's node order (node index i of the fleet is index i here).</summary>
    /// <remarks>
    /// Placement nests NVLink domains in leaves. A rack-scale NVLink domain whose trays are cabled to two leaf groups is
    /// split at the leaf boundary (<c>rack-nvl@leaf</c>): each part is still all NVLink, so a gang that must share one
    /// NVLink domain lands inside one part, never across a leaf it does not share.
    /// </remarks>
    public static IReadOnlyList<TopologyNode> Nodes(FleetTopology fleet)
    {
        ArgumentNullException.ThrowIfNull(fleet);
        var leavesOfDomain = fleet.Nodes
            .GroupBy(n => n.NvLinkDomain)
            .ToDictionary(g => g.Key, g => g.Select(n => n.LeafGroup).Distinct(StringComparer.Ordinal).Count());
        var nodes = new TopologyNode[fleet.Nodes.Count];
        for (int i = 0; i < nodes.Length; i++)
        {
            var node = fleet.Nodes[i];
            string nvlink = leavesOfDomain[node.NvLinkDomain] > 1 ? $"{node.NvLinkDomain.Value}@{node.LeafGroup}" : node.NvLinkDomain.Value;
            nodes[i] = new TopologyNode(
                new NodeCapacity(node.Id.Value, checked(node.CpuCores * 1000), checked(node.MemoryGiB * 1024), node.GpuCount, node.Sku),
                nvlink,
                node.LeafGroup,
                node.Pod.Value,
                node.Site.Value)
            { Rack = node.Rack.Value };
        }

        return nodes;
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

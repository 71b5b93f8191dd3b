using NeoCloud.Fleet.Lifecycle;
using NeoCloud.Fleet.Spec;
using NeoCloud.Fleet.Topology;
using NeoCloud.Scheduling.Topology;
using NeoCloud.Workloads.Placement;

namespace NeoCloud.Workloads.Tests.Placement;

public sealed class FleetPlacementViewTests
{
    [Fact]
    public void Every_node_keeps_its_capacity_and_its_domains_in_fleet_order()
    {
        var fleet = FleetGenerator.Generate(DefaultFleet.ScaledTo(60));
        var nodes = FleetPlacementView.Nodes(fleet);

        Assert.Equal(fleet.Nodes.Count, nodes.Count);
        for (int i = 0; i < nodes.Count; i++)
        {
            var node = fleet.Nodes[i];
            Assert.Equal(node.Id.Value, nodes[i].Capacity.Name);
            Assert.Equal(node.GpuCount, nodes[i].Capacity.GpuCount);
            Assert.Equal(node.CpuCores * 1000, nodes[i].Capacity.CpuMilli);
            Assert.Equal(node.MemoryGiB * 1024, nodes[i].Capacity.MemoryMib);
            Assert.Equal(node.Sku, nodes[i].Capacity.GpuModel);
            Assert.Equal(node.LeafGroup, nodes[i].DomainAt(TopologyLevel.Leaf));
            Assert.Equal(node.Pod.Value, nodes[i].DomainAt(TopologyLevel.Block));
            Assert.Equal(node.Rack.Value, nodes[i].Rack);
            Assert.StartsWith(node.NvLinkDomain.Value, nodes[i].DomainAt(TopologyLevel.NvlinkDomain), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_default_fleet_becomes_a_valid_placement_topology_with_rack_scale_domains_split_at_leaf_boundaries()
    {
        var fleet = FleetGenerator.Generate(DefaultFleet.Spec);
        var topology = new ClusterTopology(FleetPlacementView.Nodes(fleet));

        Assert.Equal(fleet.Nodes.Count, topology.NodeCount);
        Assert.True(topology.NvlinkSpansNodes);
        var split = FleetPlacementView.Nodes(fleet).Where(n => n.NvlinkDomain.Contains('@', StringComparison.Ordinal)).ToList();
        Assert.All(split, n => Assert.EndsWith("@" + n.Leaf, n.NvlinkDomain, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(LifecycleState.Available, HealthStatus.Healthy, true)]
    [InlineData(LifecycleState.Available, HealthStatus.Unknown, true)]
    [InlineData(LifecycleState.Available, HealthStatus.Degraded, true)]
    [InlineData(LifecycleState.Available, HealthStatus.Unhealthy, false)]
    [InlineData(LifecycleState.Cordoned, HealthStatus.Healthy, false)]
    [InlineData(LifecycleState.Draining, HealthStatus.Healthy, false)]
    [InlineData(LifecycleState.Quarantined, HealthStatus.Healthy, false)]
    [InlineData(LifecycleState.BurnIn, HealthStatus.Healthy, false)]
    public void Only_available_nodes_that_are_not_unhealthy_take_new_work(LifecycleState state, HealthStatus health, bool schedulable)
    {
        Assert.Equal(schedulable, FleetPlacementView.IsSchedulable(state, health));
    }
}

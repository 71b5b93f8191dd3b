using NeoCloud.Scheduling.Topology;

namespace NeoCloud.Scheduling.Tests.Topology;

public sealed class SyntheticTopologyTests
{
    [Fact]
    public void Ten_thousand_nodes_in_leaves_of_32_and_blocks_of_8_leaves_make_313_leaves_40_blocks_and_3_sites()
    {
        var topology = SyntheticTopology.Build(10_000, 8, nodesPerLeaf: 32, leavesPerBlock: 8, blocksPerSite: 16, "H100");

        Assert.Equal(10_000, topology.NodeCount);
        Assert.Equal(313, topology.DomainCount(TopologyLevel.Leaf));
        Assert.Equal(40, topology.DomainCount(TopologyLevel.Block));
        Assert.Equal(3, topology.DomainCount(TopologyLevel.Site));
        Assert.Equal(80_000_000, topology.Snapshot.GpuCapacityMilli);
        Assert.Equal(32, topology.NodesIn(TopologyLevel.Leaf, 0).Length);
        Assert.Equal(16, topology.NodesIn(TopologyLevel.Leaf, 312).Length);
    }

    [Fact]
    public void Nvl72_racks_are_runs_of_18_nodes_inside_a_leaf()
    {
        var topology = SyntheticTopology.Build(72, 4, nodesPerLeaf: 36, leavesPerBlock: 2, blocksPerSite: 1, "GB200", nodesPerNvlinkDomain: 18);

        Assert.True(topology.NvlinkSpansNodes);
        Assert.Equal(4, topology.DomainCount(TopologyLevel.NvlinkDomain));
        Assert.Equal(topology.DomainOf(0, TopologyLevel.NvlinkDomain), topology.DomainOf(17, TopologyLevel.NvlinkDomain));
        Assert.NotEqual(topology.DomainOf(17, TopologyLevel.NvlinkDomain), topology.DomainOf(18, TopologyLevel.NvlinkDomain));
    }

    [Fact]
    public void Bad_sizes_are_rejected_naming_the_argument()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => SyntheticTopology.Build(10, 8, nodesPerLeaf: 0, leavesPerBlock: 8, blocksPerSite: 1, "H100"));

        Assert.Equal("nodesPerLeaf", error.ParamName);
    }
}

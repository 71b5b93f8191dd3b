using NeoCloud.Scheduling.Placement;
using NeoCloud.Scheduling.Topology;

namespace NeoCloud.Scheduling.Tests.Topology;

public sealed class ClusterTopologyTests
{
    private static TopologyNode Node(string name, string nvlink, string leaf, string block, string site, int gpus = 8) =>
        new(new NodeCapacity(name, 64_000, 512 * 1024, gpus, "H100"), nvlink, leaf, block, site);

    [Fact]
    public void Nodes_are_indexed_by_domain_at_every_level()
    {
        var topology = new ClusterTopology(
        [
            Node("a", "a", "l0", "b0", "s0"),
            Node("b", "b", "l1", "b0", "s0"),
            Node("c", "c", "l0", "b0", "s0"),
            Node("d", "d", "l2", "b1", "s0"),
        ]);

        Assert.Equal(4, topology.DomainCount(TopologyLevel.Node));
        Assert.Equal(3, topology.DomainCount(TopologyLevel.Leaf));
        Assert.Equal(2, topology.DomainCount(TopologyLevel.Block));
        Assert.Equal(1, topology.DomainCount(TopologyLevel.Site));
        Assert.Equal([0, 2], topology.NodesIn(TopologyLevel.Leaf, topology.DomainOf(0, TopologyLevel.Leaf)).ToArray());
        Assert.Equal([0, 1, 2], topology.NodesIn(TopologyLevel.Block, 0).ToArray());
        Assert.Equal("l1", topology.DomainName(TopologyLevel.Leaf, topology.DomainOf(1, TopologyLevel.Leaf)));
        Assert.Equal(4, topology.Snapshot.NodeCount);
        Assert.Equal("c", topology.Snapshot.NodeName(2));
        Assert.False(topology.NvlinkSpansNodes);
    }

    [Fact]
    public void Duplicate_node_names_are_rejected_with_both_positions()
    {
        var error = Assert.Throws<ArgumentException>(() => new ClusterTopology([Node("a", "a", "l0", "b0", "s0"), Node("b", "b", "l0", "b0", "s0"), Node("a", "a2", "l0", "b0", "s0")]));

        Assert.Contains("duplicate node name 'a' at positions 0 and 2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_leaf_split_across_two_blocks_is_rejected()
    {
        var error = Assert.Throws<ArgumentException>(() => new ClusterTopology([Node("a", "a", "l0", "b0", "s0"), Node("b", "b", "l0", "b1", "s0")]));

        Assert.Contains("leaf 'l0' is split across blocks 'b0' (node a) and 'b1' (node b)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_block_split_across_two_sites_is_rejected()
    {
        var error = Assert.Throws<ArgumentException>(() => new ClusterTopology([Node("a", "a", "l0", "b0", "s0"), Node("b", "b", "l1", "b0", "s1")]));

        Assert.Contains("block 'b0' is split across sites 's0' (node a) and 's1' (node b)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_nvlink_domain_of_several_nodes_inside_one_leaf_is_accepted()
    {
        var topology = new ClusterTopology([.. Enumerable.Range(0, 18).Select(i => Node($"n{i}", "rack0", "l0", "b0", "s0", gpus: 4))]);

        Assert.True(topology.NvlinkSpansNodes);
        Assert.Equal(1, topology.DomainCount(TopologyLevel.NvlinkDomain));
        Assert.Equal(18, topology.NodesIn(TopologyLevel.NvlinkDomain, 0).Length);
    }

    [Fact]
    public void An_nvlink_domain_spanning_two_leaves_is_rejected()
    {
        var error = Assert.Throws<ArgumentException>(() => new ClusterTopology([Node("a", "rack0", "l0", "b0", "s0"), Node("b", "rack0", "l1", "b0", "s0")]));

        Assert.Contains("NVLink domain 'rack0' is split across leaves", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_domain_name_is_rejected_with_its_position()
    {
        var error = Assert.Throws<ArgumentException>(() => new ClusterTopology([Node("a", "a", "l0", "b0", "s0"), Node("b", "b", " ", "b0", "s0")]));

        Assert.Contains("node at position 1: leaf is empty", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_topology_is_rejected()
    {
        var error = Assert.Throws<ArgumentException>(() => new ClusterTopology([]));

        Assert.Contains("at least one node", error.Message, StringComparison.Ordinal);
    }
}

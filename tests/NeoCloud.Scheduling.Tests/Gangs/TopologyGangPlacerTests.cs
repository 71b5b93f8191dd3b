using NeoCloud.Scheduling.Gangs;
using NeoCloud.Scheduling.Placement;
using NeoCloud.Scheduling.Topology;

namespace NeoCloud.Scheduling.Tests.Gangs;

public sealed class TopologyGangPlacerTests
{
    private static int s_ids;

    // 16 nodes of 8 GPUs: leaves of 4 nodes, blocks of 2 leaves, one block per site (2 sites).
    private static TopologyGangPlacer Sixteen() => new(SyntheticTopology.Build(16, 8, nodesPerLeaf: 4, leavesPerBlock: 2, blocksPerSite: 1, "H100"));

    // 8 nodes of 8 GPUs: two leaves of 4 nodes in one block.
    private static TopologyGangPlacer TwoLeaves() => new(SyntheticTopology.Build(8, 8, nodesPerLeaf: 4, leavesPerBlock: 2, blocksPerSite: 1, "H100"));

    private static GangRequest Whole(int replicas, int gpus, params TopologyRequirement[] topology) =>
        new($"g{Interlocked.Increment(ref s_ids)}", replicas, new PlacementRequest(1000, 1024, gpus, 1000), topology);

    private static GangRequest Share(int replicas, int milli) =>
        new($"g{Interlocked.Increment(ref s_ids)}", replicas, new PlacementRequest(1000, 1024, 1, milli), []);

    private static GangRequest Models(int replicas, int gpus, params string[] models) =>
        new($"g{Interlocked.Increment(ref s_ids)}", replicas, new PlacementRequest(1000, 1024, gpus, 1000, models), []);

    private static TopologyRequirement Required(TopologyLevel level) => new(level, TopologyMode.Required);

    private static TopologyRequirement Preferred(TopologyLevel level) => new(level, TopologyMode.Preferred);

    private static GangPlacement Bind(TopologyGangPlacer placer, GangRequest gang, params Binding[] bindings)
    {
        var placement = new GangPlacement(gang.Id, bindings);
        placer.Bind(gang, placement);
        return placement;
    }

    private static int[] Domains(TopologyGangPlacer placer, GangPlacement placement, TopologyLevel level) =>
        [.. placement.Replicas.Select(b => placer.Topology.DomainOf(b.Node, level)).Distinct()];

    [Fact]
    public void A_gang_that_fits_one_node_shares_it()
    {
        var placer = Sixteen();

        var placement = placer.TryPlace(Whole(2, 4));

        Assert.NotNull(placement);
        Assert.Equal(TopologyLevel.Node, placement.Level);
        Assert.Single(Domains(placer, placement, TopologyLevel.Node));
        Assert.Equal(0UL, placement.Replicas[0].GpuMask & placement.Replicas[1].GpuMask);
        Assert.Equal(8, placement.Replicas.Sum(b => b.GpuCount));
        Assert.Null(placer.AggregateProblem());
    }

    [Theory]
    [InlineData(4, TopologyLevel.Leaf)]
    [InlineData(6, TopologyLevel.Block)]
    [InlineData(8, TopologyLevel.Block)]
    public void A_gang_goes_into_the_smallest_domain_that_fits(int replicas, TopologyLevel expected)
    {
        var placer = Sixteen();

        var placement = placer.TryPlace(Whole(replicas, 8));

        Assert.NotNull(placement);
        Assert.Equal(expected, placement.Level);
        Assert.Single(Domains(placer, placement, expected));
    }

    [Fact]
    public void A_gang_larger_than_any_site_spans_sites_when_nothing_bounds_it()
    {
        var placer = Sixteen();

        var placement = placer.TryPlace(Whole(10, 8));

        Assert.NotNull(placement);
        Assert.Null(placement.Level);
        Assert.Equal(2, Domains(placer, placement, TopologyLevel.Site).Length);
    }

    [Fact]
    public void A_required_level_is_never_exceeded()
    {
        var placer = Sixteen();
        string before = SnapshotImage.Of(placer.Snapshot);

        Assert.Null(placer.TryPlace(Whole(5, 8, Required(TopologyLevel.Leaf))));
        Assert.Null(placer.TryPlace(Whole(2, 8, Required(TopologyLevel.Node))));
        Assert.Equal(before, SnapshotImage.Of(placer.Snapshot));
        Assert.Equal(TopologyLevel.Leaf, placer.TryPlace(Whole(4, 8, Required(TopologyLevel.Leaf)))?.Level);
    }

    [Fact]
    public void A_required_leaf_gang_is_refused_when_every_leaf_is_broken_but_a_preferred_one_goes_above()
    {
        var placer = Sixteen();
        foreach (int node in new[] { 0, 4, 8, 12 })
        {
            Bind(placer, Whole(1, 1), new Binding(node, 1));
        }

        Assert.Null(placer.TryPlace(Whole(4, 8, Required(TopologyLevel.Leaf))));
        var preferred = placer.TryPlace(Whole(4, 8, Preferred(TopologyLevel.Leaf)));

        Assert.NotNull(preferred);
        Assert.Equal(TopologyLevel.Block, preferred.Level);
    }

    [Fact]
    public void A_preferred_level_is_honoured_when_one_of_its_domains_fits()
    {
        var placer = Sixteen();
        Bind(placer, Whole(1, 1), new Binding(0, 1));

        var placement = placer.TryPlace(Whole(4, 8, Required(TopologyLevel.Block), Preferred(TopologyLevel.Leaf)));

        Assert.NotNull(placement);
        Assert.Equal(TopologyLevel.Leaf, placement.Level);
    }

    [Fact]
    public void Best_fit_keeps_a_whole_leaf_free_for_a_big_gang()
    {
        var placer = TwoLeaves();
        Bind(placer, Whole(1, 8), new Binding(5, 0xFF));

        // Both leaves fit three whole nodes; the fuller one (leaf 1) takes them, so leaf 0 stays whole.
        var three = placer.TryPlace(Whole(3, 8));
        var four = placer.TryPlace(Whole(4, 8, Required(TopologyLevel.Leaf)));

        Assert.NotNull(three);
        Assert.Equal([4, 6, 7], three.Replicas.Select(b => b.Node).Order());
        Assert.NotNull(four);
        Assert.Equal([0, 1, 2, 3], four.Replicas.Select(b => b.Node).Order());
    }

    [Fact]
    public void A_single_node_gang_goes_to_the_node_with_the_least_room_that_fits()
    {
        var placer = TwoLeaves();
        Bind(placer, Whole(1, 4), new Binding(6, 0x0F));
        Bind(placer, Whole(1, 2), new Binding(2, 0x03));

        var two = placer.TryPlace(Whole(1, 4));

        Assert.NotNull(two);
        Assert.Equal(6, two.Replicas[0].Node);
        Assert.Equal(0xF0UL, two.Replicas[0].GpuMask);
    }

    [Fact]
    public void A_whole_node_gang_goes_to_the_fullest_leaf()
    {
        var placer = TwoLeaves();
        Bind(placer, Whole(1, 4), new Binding(6, 0x0F));

        var node = placer.TryPlace(Whole(1, 8));

        Assert.NotNull(node);
        Assert.Equal(1, placer.Topology.DomainOf(node.Replicas[0].Node, TopologyLevel.Leaf));
    }

    [Fact]
    public void Unschedulable_nodes_are_never_used()
    {
        var placer = TwoLeaves();
        placer.SetSchedulable(1, false);

        var leaf = placer.TryPlace(Whole(4, 8, Required(TopologyLevel.Leaf)));
        Assert.NotNull(leaf);
        Assert.All(leaf.Replicas, b => Assert.InRange(b.Node, 4, 7));

        placer.Release(Whole(4, 8) with { Id = leaf.Id }, leaf);
        placer.SetSchedulable(5, false);
        Assert.Null(placer.TryPlace(Whole(4, 8, Required(TopologyLevel.Leaf))));
        Assert.False(placer.IsSchedulable(5));

        placer.SetSchedulable(1, true);
        Assert.NotNull(placer.TryPlace(Whole(4, 8, Required(TopologyLevel.Leaf))));
        Assert.Null(placer.AggregateProblem());
    }

    [Fact]
    public void A_small_gang_finds_the_one_schedulable_node_left()
    {
        var placer = TwoLeaves();
        for (int n = 0; n < 7; n++)
        {
            placer.SetSchedulable(n, false);
        }

        Assert.Equal(7, placer.TryPlace(Whole(1, 1))?.Replicas[0].Node);
        Assert.Equal(7, placer.TryPlace(Share(1, 300))?.Replicas[0].Node);
        Assert.Null(placer.TryPlace(Whole(2, 8)));
    }

    [Fact]
    public void The_gpu_model_constraint_is_honoured()
    {
        var nodes = new[]
        {
            new TopologyNode(new NodeCapacity("a", 64_000, 1 << 20, 8, "A100"), "a", "l0", "b0", "s0"),
            new TopologyNode(new NodeCapacity("b", 64_000, 1 << 20, 8, "H100"), "b", "l0", "b0", "s0"),
            new TopologyNode(new NodeCapacity("c", 64_000, 1 << 20, 8, "A100"), "c", "l0", "b0", "s0"),
            new TopologyNode(new NodeCapacity("d", 64_000, 1 << 20, 8, "H100"), "d", "l0", "b0", "s0"),
        };
        var placer = new TopologyGangPlacer(new ClusterTopology(nodes));

        var h100 = placer.TryPlace(Models(1, 8, "H100"));
        Assert.NotNull(h100);
        Assert.Equal("H100", nodes[h100.Replicas[0].Node].Capacity.GpuModel);

        Assert.Null(placer.TryPlace(Models(2, 8, "H100")));
        Assert.Null(placer.TryPlace(Models(1, 1, "B200")));
        var either = placer.TryPlace(Models(3, 8, "H100", "A100"));
        Assert.NotNull(either);
        Assert.Equal(3, Domains(placer, either, TopologyLevel.Node).Length);
    }

    [Fact]
    public void Fractional_replicas_share_a_gpu()
    {
        var placer = Sixteen();

        var first = placer.TryPlace(Share(1, 500));
        var second = placer.TryPlace(Share(1, 500));
        var gang = placer.TryPlace(Share(3, 300));

        Assert.NotNull(first);
        Assert.NotNull(second);
        Assert.Equal(first.Replicas[0], second.Replicas[0]);
        Assert.NotNull(gang);
        Assert.Single(gang.Replicas.Distinct());
        Assert.NotEqual(first.Replicas[0], gang.Replicas[0]);
        Assert.Equal(first.Replicas[0].Node, gang.Replicas[0].Node);
        Assert.Equal(1900, placer.Snapshot.GpuAllocatedMilli);
    }

    [Fact]
    public void A_share_goes_to_the_tightest_gpu_that_fits()
    {
        var placer = Sixteen();
        Bind(placer, Share(1, 600), new Binding(3, 1UL << 2));
        Bind(placer, Share(1, 200), new Binding(9, 1UL << 5));
        Bind(placer, Share(1, 800), new Binding(12, 1UL << 1));

        var placement = placer.TryPlace(Share(1, 300));

        Assert.NotNull(placement);
        Assert.Equal(new Binding(3, 1UL << 2), placement.Replicas[0]);
    }

    [Fact]
    public void A_node_short_of_cpu_is_skipped()
    {
        var nodes = new[]
        {
            new TopologyNode(new NodeCapacity("small", 2000, 1 << 20, 8, "H100"), "small", "l0", "b0", "s0"),
            new TopologyNode(new NodeCapacity("big", 64_000, 1 << 20, 8, "H100"), "big", "l0", "b0", "s0"),
        };
        var placer = new TopologyGangPlacer(new ClusterTopology(nodes));
        var hungry = new GangRequest("hungry", 2, new PlacementRequest(4000, 1024, 4, 1000), []);

        var placement = placer.TryPlace(hungry);

        Assert.NotNull(placement);
        Assert.All(placement.Replicas, b => Assert.Equal(1, b.Node));
        Assert.Null(placer.TryPlace(new GangRequest("more", 1, new PlacementRequest(4000, 1024, 1, 1000), [])));
    }

    [Fact]
    public void A_gang_that_cannot_fit_is_refused_and_nothing_changes()
    {
        var placer = Sixteen();
        placer.TryPlace(Whole(3, 8));
        string before = SnapshotImage.Of(placer.Snapshot);

        Assert.Null(placer.TryPlace(Whole(14, 8)));
        Assert.Null(placer.TryPlace(Whole(1, 9)));
        Assert.Equal(before, SnapshotImage.Of(placer.Snapshot));
        Assert.Null(placer.AggregateProblem());
    }

    [Fact]
    public void Bind_rejects_a_placement_that_does_not_fit_and_changes_nothing()
    {
        var placer = Sixteen();
        Bind(placer, Whole(1, 8), new Binding(0, 0xFF));
        string before = SnapshotImage.Of(placer.Snapshot);
        var gang = Whole(2, 8);

        var error = Assert.Throws<InvalidOperationException>(() => placer.Bind(gang, new GangPlacement(gang.Id, [new Binding(1, 0xFF), new Binding(0, 0xFF)])));

        Assert.Contains("replica 1", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, SnapshotImage.Of(placer.Snapshot));
        Assert.Null(placer.AggregateProblem());
    }

    [Fact]
    public void Bind_rejects_a_placement_that_breaks_a_required_level()
    {
        var placer = Sixteen();
        var gang = Whole(2, 8, Required(TopologyLevel.Leaf));

        var error = Assert.Throws<InvalidOperationException>(() => placer.Bind(gang, new GangPlacement(gang.Id, [new Binding(0, 0xFF), new Binding(4, 0xFF)])));

        Assert.Contains("Leaf", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, placer.Snapshot.GpuAllocatedMilli);
    }

    [Fact]
    public void Release_restores_the_snapshot_exactly()
    {
        var placer = Sixteen();
        string empty = SnapshotImage.Of(placer.Snapshot);
        var gangs = new[] { Whole(3, 8), Share(2, 250), Whole(1, 1), Whole(4, 4), Share(1, 700) };
        var placements = gangs.Select(g => placer.TryPlace(g) ?? throw new InvalidOperationException($"{g.Id} not placed")).ToList();

        for (int i = gangs.Length - 1; i >= 0; i -= 2)
        {
            placer.Release(gangs[i], placements[i]);
        }

        for (int i = gangs.Length - 2; i >= 0; i -= 2)
        {
            placer.Release(gangs[i], placements[i]);
        }

        Assert.Equal(empty, SnapshotImage.Of(placer.Snapshot));
        Assert.Null(placer.AggregateProblem());
    }

    [Fact]
    public void Releasing_twice_is_refused_and_changes_nothing()
    {
        var placer = Sixteen();
        var gang = Whole(2, 8);
        var placement = placer.TryPlace(gang)!;
        placer.Release(gang, placement);
        string before = SnapshotImage.Of(placer.Snapshot);

        Assert.Throws<InvalidOperationException>(() => placer.Release(gang, placement));
        Assert.Equal(before, SnapshotImage.Of(placer.Snapshot));
    }

    [Fact]
    public void Bad_gangs_are_rejected_saying_what_is_wrong()
    {
        var placer = Sixteen();

        Assert.Contains("replicas must be at least 1", Assert.Throws<ArgumentException>(() => placer.TryPlace(Whole(0, 8))).Message, StringComparison.Ordinal);
        Assert.Contains(
            "more than one topology requirement for level Leaf",
            Assert.Throws<ArgumentException>(() => placer.TryPlace(Whole(2, 8, Required(TopologyLevel.Leaf), Preferred(TopologyLevel.Leaf)))).Message,
            StringComparison.Ordinal);
        Assert.Contains("gpu_milli", Assert.Throws<ArgumentException>(() => placer.TryPlace(Share(1, 1200))).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => placer.SetSchedulable(16, false));
    }

    [Fact]
    public void A_gang_requiring_one_nvlink_domain_fills_one_nvl72_rack()
    {
        var placer = new TopologyGangPlacer(SyntheticTopology.Build(72, 4, nodesPerLeaf: 36, leavesPerBlock: 2, blocksPerSite: 1, "GB200", nodesPerNvlinkDomain: 18));

        var rack = placer.TryPlace(Whole(18, 4, Required(TopologyLevel.NvlinkDomain)));
        var pair = placer.TryPlace(Whole(2, 2, Required(TopologyLevel.NvlinkDomain)));

        Assert.NotNull(rack);
        Assert.Equal(TopologyLevel.NvlinkDomain, rack.Level);
        Assert.Null(placer.TryPlace(Whole(19, 4, Required(TopologyLevel.NvlinkDomain))));
        Assert.NotNull(pair);
        Assert.Equal(TopologyLevel.Node, pair.Level);
    }

    [Fact]
    public void A_topology_takes_one_placer_so_its_snapshot_has_one_writer()
    {
        var topology = SyntheticTopology.Build(4, 8, nodesPerLeaf: 4, leavesPerBlock: 1, blocksPerSite: 1, "H100");
        _ = new TopologyGangPlacer(topology);

        var error = Assert.Throws<InvalidOperationException>(() => new TopologyGangPlacer(topology));

        Assert.Contains("already has a placer", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Work_restored_on_an_unschedulable_node_is_kept_and_released_exactly()
    {
        var placer = TwoLeaves();
        string empty = SnapshotImage.Of(placer.Snapshot);
        placer.SetSchedulable(3, false);
        var gang = Whole(2, 4);

        var placement = Bind(placer, gang, new Binding(3, 0x0F), new Binding(3, 0xF0));
        Assert.Equal(8000, placer.Snapshot.GpuAllocatedMilli);
        placer.Release(gang, placement);
        placer.SetSchedulable(3, true);

        Assert.Equal(empty, SnapshotImage.Of(placer.Snapshot));
        Assert.Null(placer.AggregateProblem());
    }
}

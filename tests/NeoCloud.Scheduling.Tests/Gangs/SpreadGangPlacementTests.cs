using NeoCloud.Scheduling.Gangs;
using NeoCloud.Scheduling.Placement;
using NeoCloud.Scheduling.Topology;

namespace NeoCloud.Scheduling.Tests.Gangs;

/// <summary>Spread gangs on <see cref="TopologyGangPlacer"/>: every replica in its own failure domain, all or nothing.</summary>
public sealed class SpreadGangPlacementTests
{
    private static int s_ids;

    // 16 nodes of 8 GPUs: 2 sites × 2 leaves × 2 racks × 2 nodes (8 racks, 4 leaves).
    private static List<TopologyNode> Fleet(Func<int, string?>? rackOf = null)
    {
        var nodes = new List<TopologyNode>();
        for (int i = 0; i < 16; i++)
        {
            int site = i / 8, leaf = i / 4, rack = i / 2;
            string name = $"n{i:00}";
            nodes.Add(new TopologyNode(new NodeCapacity(name, 64_000, 1 << 20, 8, "H100"), name, $"l{leaf}", $"s{site}-b0", $"s{site}")
            {
                Rack = rackOf is null ? $"r{rack}" : rackOf(i),
            });
        }

        return nodes;
    }

    private static TopologyGangPlacer Placer(Func<int, string?>? rackOf = null) => new(new ClusterTopology(Fleet(rackOf)));

    private static GangRequest Spread(int replicas, SpreadLevel spread, int gpus = 1, params TopologyRequirement[] topology) =>
        new($"svc{Interlocked.Increment(ref s_ids)}", replicas, new PlacementRequest(1000, 1024, gpus, 1000), topology) { Spread = spread };

    private static int[] Domains(TopologyGangPlacer placer, GangPlacement placement, SpreadLevel spread) =>
        [.. placement.Replicas.Select(b => placer.Topology.SpreadDomainOf(b.Node, spread))];

    [Fact]
    public void Spread_by_node_puts_each_replica_on_its_own_node_where_packing_would_share_one()
    {
        var placer = Placer();
        var packed = placer.TryPlace(new GangRequest("packed", 4, new PlacementRequest(1000, 1024, 1, 1000), []));
        Assert.NotNull(packed);
        Assert.Single(packed.Replicas.Select(b => b.Node).Distinct());

        var placement = placer.TryPlace(Spread(4, SpreadLevel.Node));

        Assert.NotNull(placement);
        Assert.Equal(4, placement.Replicas.Select(b => b.Node).Distinct().Count());
        Assert.All(placement.Replicas, b => Assert.Equal(1, b.GpuCount));
        Assert.Null(placer.AggregateProblem());
    }

    [Theory]
    [InlineData(SpreadLevel.Node, 16)]
    [InlineData(SpreadLevel.Rack, 8)]
    [InlineData(SpreadLevel.Leaf, 4)]
    [InlineData(SpreadLevel.Site, 2)]
    public void A_spread_gang_takes_one_domain_per_replica_up_to_the_number_of_domains(SpreadLevel spread, int domains)
    {
        var placer = Placer();

        var placement = placer.TryPlace(Spread(domains, spread));

        Assert.NotNull(placement);
        Assert.Equal(domains, Domains(placer, placement, spread).Distinct().Count());
        Assert.Null(placer.AggregateProblem());
    }

    [Theory]
    [InlineData(SpreadLevel.Node, 17)]
    [InlineData(SpreadLevel.Rack, 9)]
    [InlineData(SpreadLevel.Leaf, 5)]
    [InlineData(SpreadLevel.Site, 3)]
    public void A_spread_gang_with_more_replicas_than_domains_is_not_placed_and_nothing_changes(SpreadLevel spread, int replicas)
    {
        var placer = Placer();
        placer.TryPlace(Spread(2, SpreadLevel.Node, gpus: 3));
        string before = SnapshotImage.Of(placer.Snapshot);

        Assert.Null(placer.TryPlace(Spread(replicas, spread)));

        Assert.Equal(before, SnapshotImage.Of(placer.Snapshot));
        Assert.Null(placer.AggregateProblem());
    }

    [Fact]
    public void A_domain_whose_nodes_are_all_full_does_not_count()
    {
        var placer = Placer();
        for (int n = 0; n < 8; n++)
        {
            placer.Bind(new GangRequest($"fill{n}", 1, new PlacementRequest(0, 0, 8, 1000), []), new GangPlacement($"fill{n}", [new Binding(n, 0xFF)]));
        }

        string before = SnapshotImage.Of(placer.Snapshot);

        Assert.Null(placer.TryPlace(Spread(2, SpreadLevel.Site)));
        Assert.Equal(before, SnapshotImage.Of(placer.Snapshot));

        var one = placer.TryPlace(Spread(1, SpreadLevel.Site));
        Assert.NotNull(one);
        Assert.True(one.Replicas[0].Node >= 8);
    }

    [Fact]
    public void Unschedulable_nodes_are_skipped_and_a_domain_left_without_one_does_not_count()
    {
        var placer = Placer();
        for (int n = 0; n < 16; n++)
        {
            // Only the first node of each leaf stays usable: four nodes, one per leaf.
            placer.SetSchedulable(n, n % 4 == 0);
        }

        var byNode = placer.TryPlace(Spread(4, SpreadLevel.Node));
        Assert.NotNull(byNode);
        Assert.All(byNode.Replicas, b => Assert.True(placer.IsSchedulable(b.Node)));

        Assert.Null(placer.TryPlace(Spread(5, SpreadLevel.Rack)));
        Assert.Null(placer.AggregateProblem());
    }

    [Fact]
    public void Within_the_free_domains_the_fullest_node_that_fits_is_chosen()
    {
        var placer = Placer();
        placer.Bind(new GangRequest("busy", 1, new PlacementRequest(0, 0, 6, 1000), []), new GangPlacement("busy", [new Binding(5, 0x3F)]));

        var placement = placer.TryPlace(Spread(1, SpreadLevel.Node, gpus: 2));

        Assert.NotNull(placement);
        Assert.Equal(5, placement.Replicas[0].Node);
    }

    [Fact]
    public void A_spread_share_goes_to_the_tightest_gpu_in_each_free_domain()
    {
        var placer = Placer();
        var share = new PlacementRequest(1000, 1024, 1, 300);
        placer.Bind(new GangRequest("part0", 1, share with { GpuMilli = 600 }, []), new GangPlacement("part0", [new Binding(3, 0x4)]));
        placer.Bind(new GangRequest("part1", 1, share with { GpuMilli = 500 }, []), new GangPlacement("part1", [new Binding(9, 0x2)]));

        var placement = placer.TryPlace(new GangRequest("svc-share", 2, share, []) { Spread = SpreadLevel.Site });

        Assert.NotNull(placement);
        Assert.Equal([new Binding(3, 0x4), new Binding(9, 0x2)], placement.Replicas.OrderBy(b => b.Node));
        Assert.Null(placer.AggregateProblem());
    }

    [Fact]
    public void Spread_by_rack_never_uses_a_node_whose_rack_is_unknown()
    {
        // Only nodes 0..3 name a rack (two racks); the twelve others could share any rack, so they take no replica.
        var placer = Placer(n => n < 4 ? $"r{n / 2}" : null);

        var placement = placer.TryPlace(Spread(2, SpreadLevel.Rack));

        Assert.NotNull(placement);
        Assert.All(placement.Replicas, b => Assert.True(b.Node < 4));
        Assert.Null(placer.TryPlace(Spread(3, SpreadLevel.Rack)));
    }

    [Fact]
    public void Bind_rejects_a_placement_that_breaks_the_spread_and_changes_nothing()
    {
        var placer = Placer();
        string before = SnapshotImage.Of(placer.Snapshot);
        var gang = Spread(2, SpreadLevel.Rack);

        var error = Assert.Throws<InvalidOperationException>(() => placer.Bind(gang, new GangPlacement(gang.Id, [new Binding(0, 0x1), new Binding(1, 0x1)])));

        Assert.Contains("share a Rack (r0)", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, SnapshotImage.Of(placer.Snapshot));

        placer.Bind(gang, new GangPlacement(gang.Id, [new Binding(0, 0x1), new Binding(2, 0x1)]));
        Assert.Null(placer.AggregateProblem());
    }

    [Fact]
    public void Spread_and_a_required_level_cannot_be_combined()
    {
        var placer = Placer();

        var error = Assert.Throws<ArgumentException>(() => placer.TryPlace(Spread(2, SpreadLevel.Node, 1, new TopologyRequirement(TopologyLevel.Leaf, TopologyMode.Required))));

        Assert.Contains("spread across Node and a required topology level (Leaf)", error.Message, StringComparison.Ordinal);
        Assert.NotNull(placer.TryPlace(Spread(2, SpreadLevel.Node, 1, new TopologyRequirement(TopologyLevel.Leaf, TopologyMode.Preferred))));
    }

    [Fact]
    public void An_unknown_spread_level_is_rejected_saying_so()
    {
        var placer = Placer();

        var error = Assert.Throws<ArgumentException>(() => placer.TryPlace(Spread(2, (SpreadLevel)9)));

        Assert.Contains("not a known failure domain", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_rack_name_that_is_blank_is_rejected_with_its_position()
    {
        var error = Assert.Throws<ArgumentException>(() => new ClusterTopology(Fleet(n => n == 3 ? " " : "r0")));

        Assert.Contains("position 3: rack is empty", error.Message, StringComparison.Ordinal);
    }
}

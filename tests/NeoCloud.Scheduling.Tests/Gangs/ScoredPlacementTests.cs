using NeoCloud.Scheduling.Fragmentation;
using NeoCloud.Scheduling.Gangs;
using NeoCloud.Scheduling.Placement;
using NeoCloud.Scheduling.Topology;

namespace NeoCloud.Scheduling.Tests.Gangs;

public sealed class ScoredPlacementTests
{
    [Fact]
    public void With_a_scorer_a_single_node_gang_goes_to_the_candidate_it_ranks_best_and_every_change_is_reported()
    {
        var placer = new TopologyGangPlacer(SyntheticTopology.Build(4, 8, nodesPerLeaf: 4, leavesPerBlock: 1, blocksPerSite: 1, "H100"));
        var scorer = new PreferNode(2);
        placer.Scorer = scorer;

        var placement = placer.TryPlace(new GangRequest("a", 1, new PlacementRequest(1000, 1024, 2, 1000), []));

        Assert.Equal(2, Assert.Single(placement!.Replicas).Node);
        Assert.Equal([2], scorer.Changed);
        placer.Release(new GangRequest("a", 1, new PlacementRequest(1000, 1024, 2, 1000), []), placement);
        Assert.Equal([2, 2], scorer.Changed);
    }

    [Fact]
    public void Gpus_the_scorer_chooses_that_are_not_free_fall_back_to_the_placers_own_choice()
    {
        var placer = new TopologyGangPlacer(SyntheticTopology.Build(1, 8, nodesPerLeaf: 1, leavesPerBlock: 1, blocksPerSite: 1, "H100"));
        placer.Scorer = new PreferNode(0, badMask: true);

        var placement = placer.TryPlace(new GangRequest("a", 1, new PlacementRequest(1000, 1024, 2, 1000), []));

        Assert.Equal(2, Assert.Single(placement!.Replicas).GpuCount);
        Assert.Equal(2000, placer.Snapshot.GpuAllocatedMilli);
    }

    [Fact]
    public void The_fragmentation_scorer_keeps_a_whole_node_free_for_the_typical_eight_gpu_task()
    {
        // Node 0 has 4 GPUs free, node 1 all 8. Typical work is 4-GPU and 8-GPU tasks: a 4-GPU task should fill node 0,
        // not break node 1 (plain best fit agrees; the scorer must not undo it).
        var placer = new TopologyGangPlacer(SyntheticTopology.Build(2, 8, nodesPerLeaf: 2, leavesPerBlock: 1, blocksPerSite: 1, "H100"));
        var half = new GangRequest("half", 1, new PlacementRequest(1000, 1024, 4, 1000), []);
        placer.Bind(half, new GangPlacement("half", [new Binding(0, 0b1111)]));
        placer.Scorer = new FragmentationScorer(placer.Snapshot, TypicalTasks.From([new PlacementRequest(1000, 1024, 4, 1000), new PlacementRequest(1000, 1024, 8, 1000)]));

        var placement = placer.TryPlace(new GangRequest("b", 1, new PlacementRequest(1000, 1024, 4, 1000), []));

        Assert.Equal(0, Assert.Single(placement!.Replicas).Node);
    }

    [Fact]
    public void The_candidate_count_is_bounded()
    {
        var placer = new TopologyGangPlacer(SyntheticTopology.Build(2, 8, nodesPerLeaf: 2, leavesPerBlock: 1, blocksPerSite: 1, "H100"));

        Assert.Throws<ArgumentOutOfRangeException>(() => placer.ScorerCandidates = 0);
        Assert.Throws<ArgumentOutOfRangeException>(() => placer.ScorerCandidates = TopologyGangPlacer.MaxScorerCandidates + 1);
    }

    private sealed class PreferNode(int preferred, bool badMask = false) : INodeScorer
    {
        public List<int> Changed { get; } = [];

        public double Score(ClusterSnapshot snapshot, in ResolvedRequest request, int node) => node == preferred ? 1 : 0;

        public ulong ChooseGpus(ClusterSnapshot snapshot, in ResolvedRequest request, int node) => badMask ? 1UL << 40 : 0b11;

        void INodeScorer.Changed(ClusterSnapshot snapshot, int node) => Changed.Add(node);
    }
}

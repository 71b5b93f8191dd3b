using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NeoCloud.Scheduling.Fragmentation;
using NeoCloud.Scheduling.Placement;

namespace NeoCloud.Scheduling.Tests.Fragmentation;

public sealed class ShareHolesTests
{
    // Half the tasks a 160-milli share, half a whole GPU: the smallest share is 160.
    private static readonly TypicalTasks Workload = TypicalTasks.From(
        Enumerable.Repeat(new PlacementRequest(1000, 1024, 1, 160), 50).Concat(Enumerable.Repeat(new PlacementRequest(1000, 1024, 1, 1000), 50)));

    [Fact]
    public void The_smallest_share_of_the_workload_sets_what_counts_as_closed()
    {
        Assert.Equal(160, new ShareHoles(Workload.AllShapes, weight: 1).SmallestShare);
        Assert.Equal(PlacementRequest.WholeGpu, new ShareHoles(TypicalTasks.From([new PlacementRequest(1000, 1024, 2, 1000)]).AllShapes, weight: 1).SmallestShare);
    }

    [Fact]
    public void A_share_that_closes_a_gpu_another_share_uses_earns_the_gap_times_the_weight()
    {
        var holes = new ShareHoles(Workload.AllShapes, weight: 2);
        var share = Resolve(new PlacementRequest(1000, 1024, 1, 160));

        Assert.Equal(380, holes.Bonus([1000, 190], share, 0b10));
        Assert.Equal(320, holes.Bonus([160], share, 0b1));
    }

    [Fact]
    public void A_share_earns_nothing_on_a_fresh_gpu_or_where_another_share_could_still_fit()
    {
        var holes = new ShareHoles(Workload.AllShapes, weight: 2);
        var share = Resolve(new PlacementRequest(1000, 1024, 1, 160));

        Assert.Equal(0, holes.Bonus([1000, 190], share, 0b01));
        Assert.Equal(0, holes.Bonus([320], share, 0b1));
        Assert.Equal(0, holes.Bonus([1000], Resolve(new PlacementRequest(1000, 1024, 1, 1000)), 0b1));
        Assert.Equal(0, holes.Bonus([1000], Resolve(new PlacementRequest(1000, 1024, 0, 0)), 0));
    }

    [Fact]
    public void A_negative_weight_is_refused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new ShareHoles(Workload.AllShapes, weight: -1));

    [Fact]
    public void A_share_closes_a_nearly_full_gpu_where_fgd_alone_keeps_the_small_gap_open()
    {
        // GPU 0 has 200 milli free, GPU 1 (another node) 480. FGD alone prefers the 480: its gap stays useful to the
        // 160 shape, while the 200 would drop to 40 that nothing takes. The hole term closes the 200 instead.
        Assert.Equal("half-full", PlaceShare(holeWeight: 0));
        Assert.Equal("nearly-full", PlaceShare(holeWeight: 1));
    }

    [Property(MaxTest = 200)]
    public Property The_bonus_is_zero_or_the_gap_times_the_weight_and_never_on_a_fresh_gpu(PositiveInt used, PositiveInt milli)
    {
        int free = PlacementRequest.WholeGpu - (used.Get % PlacementRequest.WholeGpu);
        int share = 1 + (milli.Get % (PlacementRequest.WholeGpu - 1));
        var holes = new ShareHoles(Workload.AllShapes, weight: 3);
        double bonus = holes.Bonus([free], Resolve(new PlacementRequest(1000, 1024, 1, share)), 0b1);
        bool expected = free < PlacementRequest.WholeGpu && free - share < holes.SmallestShare;
        return (bonus == (expected ? 3.0 * free : 0)).ToProperty();
    }

    private static string PlaceShare(double holeWeight)
    {
        var snapshot = new ClusterSnapshot([new NodeCapacity("nearly-full", 32_000, 1 << 16, 1, "G2"), new NodeCapacity("half-full", 32_000, 1 << 16, 1, "G2")]);
        snapshot.Assign(new Binding(0, 0b1), snapshot.Resolve(new PlacementRequest(1000, 1024, 1, 800)));
        snapshot.Assign(new Binding(1, 0b1), snapshot.Resolve(new PlacementRequest(1000, 1024, 1, 520)));
        var gradient = new FragmentationGradient(snapshot, Workload, holeWeight: holeWeight);
        var pipeline = new PlacementPipeline(snapshot, new PlacementPolicy("holes", [new WeightedScore(gradient, 1)], gradient), seed: 1);
        var binding = pipeline.Place(new PlacementRequest(1000, 1024, 1, 160)) ?? throw new InvalidOperationException("the share should fit");
        return snapshot.NodeName(binding.Node);
    }

    private static ResolvedRequest Resolve(PlacementRequest request) =>
        new ClusterSnapshot([new NodeCapacity("n", 32_000, 1 << 16, 1, "G2")]).Resolve(request);
}

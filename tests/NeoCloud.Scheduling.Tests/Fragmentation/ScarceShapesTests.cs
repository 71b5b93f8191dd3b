using NeoCloud.Scheduling.Fragmentation;
using NeoCloud.Scheduling.Placement;

namespace NeoCloud.Scheduling.Tests.Fragmentation;

public sealed class ScarceShapesTests
{
    // 99 one-GPU tasks of 10 cores and one 8-GPU task of 120 cores: too rare for the typical set, but only a big node can host it.
    private static readonly TypicalTasks Workload = TypicalTasks.From(
        Enumerable.Repeat(new PlacementRequest(10_000, 1024, 1, 1000), 99).Append(new PlacementRequest(120_000, 1024, 8, 1000)));

    [Fact]
    public void A_small_task_keeps_off_the_only_node_that_can_host_a_rare_big_shape()
    {
        var nodes = new[]
        {
            new NodeCapacity("big", 128_000, 1 << 20, 8, "G3"),
            new NodeCapacity("g2-a", 96_000, 1 << 20, 8, "G2"),
            new NodeCapacity("g2-b", 96_000, 1 << 20, 8, "G2"),
        };
        var small = new PlacementRequest(10_000, 1024, 1, 1000);

        // Best fit (FGD's tie-break) prefers the big node once a CPU-only task has taken a few of its cores.
        Assert.Equal("big", PlaceAfterCpuOnlyOnBig(nodes, "fgd", small));
        Assert.Equal("g2", PlaceAfterCpuOnlyOnBig(nodes, PlacementPolicies.Ours, small)[..2]);
    }

    [Fact]
    public void Taking_a_shape_from_its_last_host_costs_more_than_from_one_of_many()
    {
        var snapshot = new ClusterSnapshot([new NodeCapacity("big-a", 128_000, 1 << 20, 8, "G3"), new NodeCapacity("big-b", 128_000, 1 << 20, 8, "G3")]);
        var scarce = new ScarceShapes(snapshot, Workload.AllShapes, weight: 1000);
        var small = snapshot.Resolve(new PlacementRequest(10_000, 1024, 1, 1000));
        const int big = 1; // guarded shapes go by GPU demand: 1 GPU × 0.99 before 8 GPUs × 0.01

        Assert.Equal(2, scarce.Hosts(big));
        double costWithTwoHosts = scarce.Cost(0, small, 0b1);
        snapshot.Assign(new Binding(1, 0b1), small);
        scarce.Refresh(1);

        Assert.Equal(1, scarce.Hosts(big));
        Assert.True(scarce.Cost(0, small, 0b1) > costWithTwoHosts);
        Assert.Equal(0, scarce.Cost(0, snapshot.Resolve(new PlacementRequest(1000, 1024, 0, 0)), 0));
    }

    private static string PlaceAfterCpuOnlyOnBig(NodeCapacity[] nodes, string policy, PlacementRequest request)
    {
        var snapshot = new ClusterSnapshot(nodes);
        snapshot.Assign(new Binding(0, 0), snapshot.Resolve(new PlacementRequest(6000, 1024, 0, 0)));
        var pipeline = new PlacementPipeline(snapshot, PlacementPolicies.Create(policy, snapshot, Workload), seed: 3);
        var binding = pipeline.Place(request) ?? throw new InvalidOperationException("the request should fit");
        return snapshot.NodeName(binding.Node);
    }
}

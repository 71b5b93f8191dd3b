using NeoCloud.Scheduling.Fragmentation;
using NeoCloud.Scheduling.Placement;

namespace NeoCloud.Scheduling.Tests.Fragmentation;

public sealed class StrandedGpusTests
{
    private static readonly TypicalTasks TenCoresPerGpu = TypicalTasks.Of([new TaskShape(10_000, 1024, 1, 1000, "", 1.0)]);

    [Fact]
    public void A_node_strands_the_gpus_its_free_cpu_cannot_feed()
    {
        var snapshot = new ClusterSnapshot([new NodeCapacity("n", 40_000, 1 << 20, 8, "G2")]);
        var stranded = new StrandedGpus(snapshot, TenCoresPerGpu.Shapes);

        Assert.Equal(10, stranded.CpuPerGpuMilli, 9);
        Assert.Equal(4000, stranded.Of(40_000, 1 << 20, 8000), 9);
        Assert.Equal(0, stranded.Of(80_000, 1 << 20, 8000), 9);
    }

    [Fact]
    public void A_node_strands_the_gpus_its_free_memory_cannot_feed()
    {
        var stranded = new StrandedGpus(new ClusterSnapshot([new NodeCapacity("n", 96_000, 4096, 8, "G2")]), TenCoresPerGpu.Shapes);

        Assert.Equal(4000, stranded.Of(96_000, 4096, 8000), 9);
    }

    [Fact]
    public void Cpu_only_task_goes_where_cores_are_spare_rather_than_where_the_gpus_need_them()
    {
        // Both nodes can still host the typical task afterwards, so FGD sees no difference and best fit packs the task onto
        // the GPU node; but that node's 8 GPUs need 80 of its 96 cores, and 20 taken leave 76: 0.4 of a GPU stranded.
        var nodes = new[] { new NodeCapacity("gpu-rich", 96_000, 1 << 20, 8, "G2"), new NodeCapacity("cpu-rich", 104_000, 1 << 20, 2, "T4") };
        var cpuOnly = new PlacementRequest(20_000, 1024, 0, 0);

        Assert.Equal("gpu-rich", PlaceOn(nodes, "fgd", cpuOnly));
        Assert.Equal("cpu-rich", PlaceOn(nodes, PlacementPolicies.Ours, cpuOnly));
    }

    internal static string PlaceOn(NodeCapacity[] nodes, string policy, PlacementRequest request, TypicalTasks? typical = null)
    {
        var snapshot = new ClusterSnapshot(nodes);
        var pipeline = new PlacementPipeline(snapshot, PlacementPolicies.Create(policy, snapshot, typical ?? TenCoresPerGpu), seed: 3);
        var binding = pipeline.Place(request) ?? throw new InvalidOperationException("the request should fit");
        return snapshot.NodeName(binding.Node);
    }
}

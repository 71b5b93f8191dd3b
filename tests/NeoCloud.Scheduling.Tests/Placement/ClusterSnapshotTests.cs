using NeoCloud.Scheduling.Placement;

namespace NeoCloud.Scheduling.Tests.Placement;

public sealed class ClusterSnapshotTests
{
    private static ClusterSnapshot TwoNodes() => new([new NodeCapacity("a", 8000, 16384, 2, "T4"), new NodeCapacity("b", 4000, 8192, 1, "V100")]);

    [Fact]
    public void Assign_takes_exactly_the_request_and_release_gives_it_back()
    {
        var snapshot = TwoNodes();
        var request = snapshot.Resolve(new PlacementRequest(3000, 4096, 1, 300));
        var binding = new Binding(0, 0b10);

        snapshot.Assign(binding, request);
        Assert.Equal(5000, snapshot.CpuFree(0));
        Assert.Equal(12288, snapshot.MemoryFree(0));
        Assert.Equal([1000, 700], snapshot.GpuFree(0).ToArray());
        Assert.Equal(300, snapshot.GpuAllocatedMilli);

        snapshot.Release(binding, request);
        Assert.Equal(8000, snapshot.CpuFree(0));
        Assert.Equal([1000, 1000], snapshot.GpuFree(0).ToArray());
        Assert.Equal(0, snapshot.GpuAllocatedMilli);
    }

    [Fact]
    public void A_gpu_is_never_given_more_than_it_has_free()
    {
        var snapshot = TwoNodes();
        var share = snapshot.Resolve(new PlacementRequest(0, 0, 1, 600));
        snapshot.Assign(new Binding(1, 1), share);

        Assert.Throws<InvalidOperationException>(() => snapshot.Assign(new Binding(1, 1), share));
        Assert.Equal([400], snapshot.GpuFree(1).ToArray());
    }

    [Fact]
    public void Cpu_and_memory_never_go_negative()
    {
        var snapshot = TwoNodes();
        var big = snapshot.Resolve(new PlacementRequest(4001, 0, 0, 0));

        Assert.Throws<InvalidOperationException>(() => snapshot.Assign(new Binding(1, 0), big));
        Assert.Equal(4000, snapshot.CpuFree(1));
    }

    [Fact]
    public void Releasing_what_was_never_taken_is_refused()
    {
        var snapshot = TwoNodes();
        var request = snapshot.Resolve(new PlacementRequest(1000, 0, 1, 1000));

        Assert.Throws<InvalidOperationException>(() => snapshot.Release(new Binding(0, 1), request));
        Assert.Equal(8000, snapshot.CpuFree(0));
    }

    [Fact]
    public void A_binding_must_name_as_many_gpus_as_the_request_needs()
    {
        var snapshot = TwoNodes();
        var two = snapshot.Resolve(new PlacementRequest(0, 0, 2, 1000));

        Assert.Throws<InvalidOperationException>(() => snapshot.Assign(new Binding(0, 0b01), two));
    }

    [Fact]
    public void A_request_for_a_model_no_node_has_matches_no_node()
    {
        var snapshot = TwoNodes();
        var request = snapshot.Resolve(new PlacementRequest(0, 0, 1, 1000, ["A100"]));

        Assert.False(snapshot.Fits(0, request));
        Assert.False(snapshot.Fits(1, request));
    }

    [Fact]
    public void Capacity_is_the_sum_of_all_gpus_in_milli()
    {
        Assert.Equal(3000, TwoNodes().GpuCapacityMilli);
    }
}

using NeoCloud.Scheduling.Placement;
using NeoCloud.Scheduling.Placement.Filters;

namespace NeoCloud.Scheduling.Tests.Placement;

public sealed class FilterTests
{
    private readonly ClusterSnapshot _snapshot = new([new NodeCapacity("t4", 8000, 16384, 2, "T4"), new NodeCapacity("v100", 4000, 8192, 1, "V100")]);

    [Fact]
    public void Cpu_memory_fit_rejects_a_node_short_of_cpu_or_memory()
    {
        var filter = new CpuMemoryFit();

        Assert.True(filter.Filter(_snapshot, _snapshot.Resolve(new PlacementRequest(4000, 8192, 0, 0)), 1));
        Assert.False(filter.Filter(_snapshot, _snapshot.Resolve(new PlacementRequest(4001, 0, 0, 0)), 1));
        Assert.False(filter.Filter(_snapshot, _snapshot.Resolve(new PlacementRequest(0, 8193, 0, 0)), 1));
    }

    [Fact]
    public void Gpu_model_match_honours_the_allowed_models_and_lets_cpu_tasks_anywhere()
    {
        var filter = new GpuModelMatch();

        Assert.True(filter.Filter(_snapshot, _snapshot.Resolve(new PlacementRequest(0, 0, 1, 1000, ["V100", "T4"])), 0));
        Assert.False(filter.Filter(_snapshot, _snapshot.Resolve(new PlacementRequest(0, 0, 1, 1000, ["V100"])), 0));
        Assert.True(filter.Filter(_snapshot, _snapshot.Resolve(new PlacementRequest(0, 0, 0, 0, ["V100"])), 0));
    }

    [Fact]
    public void Gpu_fit_needs_fully_free_gpus_for_whole_gpu_requests()
    {
        var filter = new GpuFit();
        _snapshot.Assign(new Binding(0, 0b01), _snapshot.Resolve(new PlacementRequest(0, 0, 1, 100)));

        Assert.False(filter.Filter(_snapshot, _snapshot.Resolve(new PlacementRequest(0, 0, 2, 1000)), 0));
        Assert.True(filter.Filter(_snapshot, _snapshot.Resolve(new PlacementRequest(0, 0, 1, 1000)), 0));
    }

    [Fact]
    public void Gpu_fit_needs_one_gpu_with_the_share_free_for_a_share()
    {
        var filter = new GpuFit();
        _snapshot.Assign(new Binding(1, 1), _snapshot.Resolve(new PlacementRequest(0, 0, 1, 700)));

        Assert.True(filter.Filter(_snapshot, _snapshot.Resolve(new PlacementRequest(0, 0, 1, 300)), 1));
        Assert.False(filter.Filter(_snapshot, _snapshot.Resolve(new PlacementRequest(0, 0, 1, 301)), 1));
    }
}

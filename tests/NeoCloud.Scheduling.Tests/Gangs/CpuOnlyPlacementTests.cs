using NeoCloud.Scheduling.Gangs;
using NeoCloud.Scheduling.Placement;
using NeoCloud.Scheduling.Topology;

namespace NeoCloud.Scheduling.Tests.Gangs;

public sealed class CpuOnlyPlacementTests
{
    [Fact]
    public void A_cpu_only_replica_goes_where_cpu_is_spare_not_onto_the_cores_a_gpu_node_needs()
    {
        // The GPU node comes first in node order (first fit would take it) and its 64 cores feed its 8 GPUs; the
        // CPU node has cores no GPU needs.
        var placer = new TopologyGangPlacer(new ClusterTopology(
        [
            new TopologyNode(new NodeCapacity("gpu", 64_000, 512 * 1024, 8, "H100"), "gpu", "l0", "b0", "s0"),
            new TopologyNode(new NodeCapacity("cpu", 64_000, 512 * 1024, 0, "H100"), "cpu", "l0", "b0", "s0"),
        ]));

        var placement = placer.TryPlace(new GangRequest("etl", 1, new PlacementRequest(16_000, 64 * 1024, 0, 0), []));

        Assert.Equal("cpu", placer.Snapshot.NodeName(Assert.Single(placement!.Replicas).Node));
    }

    [Fact]
    public void Among_gpu_nodes_a_cpu_only_replica_takes_cores_from_the_node_whose_free_gpus_need_them_least()
    {
        // Both nodes have 64 cores for 8 GPUs. On "busy" (second in node order) six GPUs are taken, so only two GPUs'
        // worth of its cores is still needed; "idle" needs all of its cores for its eight free GPUs.
        var placer = new TopologyGangPlacer(new ClusterTopology(
        [
            new TopologyNode(new NodeCapacity("idle", 64_000, 512 * 1024, 8, "H100"), "idle", "l0", "b0", "s0"),
            new TopologyNode(new NodeCapacity("busy", 64_000, 512 * 1024, 8, "H200"), "busy", "l0", "b0", "s0"),
        ]));
        var taken = placer.TryPlace(new GangRequest("train", 1, new PlacementRequest(8_000, 8 * 1024, 6, 1000, ["H200"]), []));
        Assert.Equal("busy", placer.Snapshot.NodeName(taken!.Replicas[0].Node));

        var placement = placer.TryPlace(new GangRequest("etl", 1, new PlacementRequest(16_000, 16 * 1024, 0, 0), []));

        Assert.Equal("busy", placer.Snapshot.NodeName(Assert.Single(placement!.Replicas).Node));
    }
}

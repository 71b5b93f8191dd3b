using NeoCloud.Kernel.Ids;
using NeoCloud.Simulator.Faults;
using NeoCloud.Simulator.Scripting;
using NeoCloud.Simulator.Twin;

namespace NeoCloud.Simulator.Tests.Faults;

public sealed class ScriptedFaultSignalTests
{
    private static readonly NodeId Node = new("euw1-dc1-r01-n01");

    private static FleetTwin TwinWith(string faults, SimulationOptions? options = null)
    {
        var twin = new FleetTwin(TestFleets.Small, 11, options ?? TestFleets.LoadOnly);
        twin.Schedule(FaultScriptReader.Parse($"""
            apiVersion: neocloud.dev/v1
            kind: FaultScript
            metadata: {"{ name: test }"}
            spec:
              faults:
            {faults}
            """));
        return twin;
    }

    [Fact]
    public void A_scripted_xid_79_shows_on_exactly_that_gpu_at_the_scripted_time_and_not_before()
    {
        var twin = TwinWith("    - { at: 10m, target: euw1-dc1-r01-n01/gpu5, fault: xid, xid: 79 }");

        twin.Step(TimeSpan.FromMinutes(9.5));
        var before = PageReader.Samples(PageReader.Render(twin, Node), "DCGM_FI_DEV_XID_ERRORS");
        Assert.All(before, s => Assert.Equal(0, s.Value));
        Assert.Empty(twin.GroundTruth);

        twin.Step(TimeSpan.FromSeconds(30));
        var after = PageReader.Samples(PageReader.Render(twin, Node), "DCGM_FI_DEV_XID_ERRORS");
        Assert.Equal(8, after.Count);
        var hit = Assert.Single(after, s => s.Value != 0);
        Assert.Equal("5", hit.Labels["gpu"]);
        Assert.Equal(79, hit.Value);
        Assert.Equal("79", hit.Labels["err_code"]);
        Assert.Equal("ROBUST_CHANNEL_GPU_HAS_FALLEN_OFF_THE_BUS", hit.Labels["err_msg"]);

        var fault = Assert.Single(twin.GroundTruth);
        Assert.Equal(twin.Options.Start + TimeSpan.FromMinutes(10), fault.OnsetAt);
        Assert.True(fault.Fatal);
        Assert.Equal(FaultCause.FaultyGpu, fault.Cause);
        Assert.Equal([GpuId.Of(Node, 5)], fault.AffectedGpus);
    }

    [Fact]
    public void A_faulted_gpu_carries_no_load_while_its_neighbours_keep_working()
    {
        var twin = new FleetTwin(TestFleets.Small, 3, TestFleets.Quiet);
        var gpu5 = GpuId.Of(Node, 5);
        var gpu4 = GpuId.Of(Node, 4);
        twin.Workload.Assign(gpu5, 1f);
        twin.Workload.Assign(gpu4, 1f);
        twin.Step(TimeSpan.FromMinutes(10));
        twin.Inject(new FaultRequest(FaultKind.Xid, gpu5.Value, Xid: 79));
        twin.Step(TimeSpan.FromMinutes(10));

        Assert.Equal(0, twin.ReadGpu(gpu5).UtilizationPercent);
        Assert.True(twin.ReadGpu(gpu5).GpuTempC < 45);
        Assert.True(twin.ReadGpu(gpu4).UtilizationPercent > 80);
    }

    [Fact]
    public void Switch_down_shows_link_downed_on_that_rail_of_every_node_under_the_leaf_group_and_nowhere_else()
    {
        var twin = TwinWith("    - { at: 1h, target: euw1-dc1-su1-l01-r0, fault: switch-down }");
        twin.Step(TimeSpan.FromHours(1));

        var topology = twin.Topology;
        var underLeaf = topology.NodesInLeafGroup("euw1-dc1-su1-l01").ToArray();
        Assert.NotEmpty(underLeaf);
        for (int n = 0; n < topology.Nodes.Count; n++)
        {
            var node = topology.Nodes[n].Id;
            bool hit = underLeaf.Contains(n);
            for (int rail = 0; rail < twin.RailsOf(node); rail++)
            {
                bool expected = hit && rail == 0;
                Assert.Equal(expected ? 1 : 0, twin.ReadPortCounter(node, rail, "link_downed"));
                Assert.Equal(expected ? PortState.Down : PortState.Active, twin.ReadPortState(node, rail));
            }
        }

        var page = PageReader.Render(twin, topology.Nodes[underLeaf[^1]].Id, infiniband: true);
        var downed = PageReader.Samples(page, "infiniband_link_downed_total");
        Assert.Equal(1, Assert.Single(downed, s => s.Labels["device"] == "mlx5_0").Value);
        Assert.All(downed.Where(s => s.Labels["device"] != "mlx5_0"), s => Assert.Equal(0, s.Value));
    }

    [Fact]
    public void Pdu_down_stops_the_heartbeats_of_exactly_the_nodes_on_that_pdu_until_it_is_restored()
    {
        var twin = TwinWith("    - { at: 2h, target: euw1-dc1-r02-pdu1, fault: pdu-down, duration: 30m }");
        var onPdu = twin.Topology.NodesOnPdu(new PduId("euw1-dc1-r02-pdu1")).ToArray();
        Assert.NotEmpty(onPdu);

        twin.Step(TimeSpan.FromHours(2) + TimeSpan.FromMinutes(10));
        var onset = twin.Options.Start + TimeSpan.FromHours(2);
        for (int n = 0; n < twin.Topology.Nodes.Count; n++)
        {
            var beat = twin.GetHeartbeat(twin.Topology.Nodes[n].Id);
            if (onPdu.Contains(n))
            {
                Assert.False(beat.Alive);
                Assert.True(beat.LastSeen <= onset, $"{beat.Node} was seen at {beat.LastSeen} after its PDU failed");
                Assert.False(twin.RenderDcgmExporter(beat.Node, new System.Buffers.ArrayBufferWriter<byte>()));
            }
            else
            {
                Assert.True(beat.Alive);
                Assert.Equal(twin.Now, beat.LastSeen);
            }
        }

        twin.Step(TimeSpan.FromMinutes(25));
        Assert.All(onPdu, n => Assert.True(twin.GetHeartbeat(twin.Topology.Nodes[n].Id).Alive));
        Assert.Equal(onset + TimeSpan.FromMinutes(30), Assert.Single(twin.GroundTruth).ClearedAt);
    }

    [Fact]
    public void An_ecc_dbe_storm_raises_dbe_counters_and_marks_rows_for_remapping()
    {
        var gpu = new GpuId("euw1-dc1-r03-n02/gpu1");
        var twin = TwinWith("    - { at: 3h, target: euw1-dc1-r03-n02/gpu1, fault: ecc-dbe-storm }");
        twin.Step(TimeSpan.FromHours(3) - TimeSpan.FromSeconds(30));
        var before = twin.ReadGpu(gpu);
        Assert.Equal(0, before.EccDbeVolatile);

        twin.Step(TimeSpan.FromSeconds(30));
        var at = twin.ReadGpu(gpu);
        twin.Step(TimeSpan.FromMinutes(5));
        var later = twin.ReadGpu(gpu);

        Assert.True(at.EccDbeVolatile >= 2);
        Assert.True(at.EccDbeAggregate >= at.EccDbeVolatile);
        Assert.True(at.UncorrectableRemappedRows >= 1);
        Assert.True(at.RowRemapPending);
        Assert.Contains(at.LastXid, new[] { 63, 64 });
        Assert.Equal(at.RowRemapFailure, at.LastXid == 64);
        Assert.True(later.EccSbeVolatile > at.EccSbeVolatile, "a storm keeps raising errors after its onset");

        var page = PageReader.Render(twin, gpu.Node);
        var dbe = Assert.Single(PageReader.Samples(page, "DCGM_FI_DEV_ECC_DBE_VOL_TOTAL"), s => s.Labels["gpu"] == "1");
        Assert.Equal(later.EccDbeVolatile, dbe.Value);
    }

    [Fact]
    public void A_thermal_fault_makes_the_gpu_climb_and_engages_hw_thermal_slowdown()
    {
        var gpu = new GpuId("euw1-dc1-r01-n01/gpu2");
        var twin = new FleetTwin(TestFleets.Small, 3, TestFleets.Quiet);
        twin.Workload.Assign(gpu, 0.9f);
        twin.Step(TimeSpan.FromMinutes(10));
        float normal = twin.ReadGpu(gpu).GpuTempC;
        twin.Inject(new FaultRequest(FaultKind.Thermal, gpu.Value));
        twin.Step(TimeSpan.FromMinutes(10));

        var hot = twin.ReadGpu(gpu);
        Assert.True(hot.GpuTempC > normal + 10, $"{hot.GpuTempC} should be well above {normal}");
        Assert.True(hot.ClockEvents.HasFlag(ClockEventReasons.HwThermalSlowdown));
    }

    [Fact]
    public void A_software_xid_hits_every_gpu_of_one_running_job_and_is_not_a_hardware_fault()
    {
        var twin = new FleetTwin(TestFleets.Small, 21, TestFleets.LoadOnly);
        twin.Step(TimeSpan.FromMinutes(5));
        int gpu = Enumerable.Range(0, twin.Topology.GpuCount).First(i => twin.State.Owner[i] >= 0 && twin.Synthetic.JobOf(i)!.Gpus.Length >= 2);
        var job = twin.Synthetic.JobOf(gpu)!;

        var fault = twin.Inject(new FaultRequest(FaultKind.Xid, twin.Topology.Gpus[gpu].Id.Value, Xid: 13, Cause: FaultCause.SoftwareBug));

        Assert.False(fault.Fatal);
        Assert.Null(fault.DetectableAt);
        Assert.Equal(job.Gpus.Length, fault.AffectedGpus.Count);
        Assert.All(job.Gpus, g => Assert.Equal(13, twin.ReadGpu(g).LastXid));
        Assert.True(job.Done, "the application died");
        Assert.NotNull(fault.ClearedAt);
    }

    [Fact]
    public void An_nccl_timeout_is_reported_by_the_job_and_shows_nothing_on_the_gpus()
    {
        var gpu = new GpuId("euw1-dc1-r01-n01/gpu0");
        var twin = new FleetTwin(TestFleets.Small, 3, TestFleets.Quiet);
        var reported = new List<NeoCloud.Simulator.Workload.JobSignal>();
        twin.JobSignalReported += (_, s) => reported.Add(s);

        twin.Inject(new FaultRequest(FaultKind.NcclTimeout, gpu.Value));

        var signal = Assert.Single(reported);
        Assert.Equal("NcclCollectiveTimeout", signal.Kind);
        Assert.Equal(0, twin.ReadGpu(gpu).LastXid);
    }

    [Fact]
    public void A_scripted_target_missing_from_the_fleet_is_rejected_with_its_line()
    {
        var twin = new FleetTwin(TestFleets.Small, 1, TestFleets.Quiet);
        var script = FaultScriptReader.Parse("""
            apiVersion: neocloud.dev/v1
            kind: FaultScript
            metadata: { name: missing }
            spec:
              faults:
                - { at: 1m, target: euw1-dc1-r01-n01/gpu0, fault: xid, xid: 79 }
                - { at: 2m, target: euw1-dc9-r01-n01/gpu0, fault: xid, xid: 79 }
            """);

        var ex = Assert.Throws<FaultScriptException>(() => twin.Schedule(script));

        var error = Assert.Single(ex.Errors);
        Assert.Equal(7, error.Line);
        Assert.Contains("euw1-dc9-r01-n01/gpu0", error.Message);
    }
}

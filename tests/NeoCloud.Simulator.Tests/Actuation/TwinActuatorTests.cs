using NeoCloud.Kernel.Ids;
using NeoCloud.Fleet.Actuation;
using NeoCloud.Simulator.Actuation;
using NeoCloud.Simulator.Faults;
using NeoCloud.Simulator.Twin;

namespace NeoCloud.Simulator.Tests.Actuation;

public sealed class TwinActuatorTests
{
    private static readonly NodeId Node = new("euw1-dc1-r01-n01");
    private static readonly GpuId Gpu = GpuId.Of(Node, 2);

    [Fact]
    public void A_gpu_reset_takes_a_minute_or_two_and_clears_a_gsp_fault_and_its_xid()
    {
        var twin = new FleetTwin(TestFleets.Small, 4, TestFleets.Quiet);
        var actuator = new TwinActuator(twin);
        var cleared = new List<InjectedFault>();
        twin.FaultCleared += (_, f) => cleared.Add(f);
        var fault = twin.Inject(new FaultRequest(FaultKind.Xid, Gpu.Value, Xid: 119));
        twin.Step(TimeSpan.FromMinutes(1));

        var ticket = actuator.ResetGpu(Gpu);
        Assert.InRange(ticket.CompletesAt - ticket.StartedAt, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(2));
        twin.Step(TimeSpan.FromSeconds(60));
        Assert.False(ticket.IsCompleted);
        Assert.True(twin.GroundTruth[0].IsActive);
        twin.Step(TimeSpan.FromSeconds(60));

        Assert.True(ticket.IsCompleted);
        var truth = Assert.Single(twin.GroundTruth);
        Assert.Equal(ticket.CompletesAt, truth.ClearedAt);
        Assert.Equal(fault.Id, Assert.Single(cleared).Id);
        Assert.Equal(0, twin.ReadGpu(Gpu).LastXid);
        twin.Workload.Assign(Gpu, 1f);
        twin.Step(TimeSpan.FromMinutes(1));
        Assert.True(twin.ReadGpu(Gpu).UtilizationPercent > 80);
    }

    [Fact]
    public void A_reset_does_not_fix_a_gpu_that_fell_off_the_bus_but_a_reboot_does()
    {
        var twin = new FleetTwin(TestFleets.Small, 4, TestFleets.Quiet);
        var actuator = new TwinActuator(twin);
        twin.Inject(new FaultRequest(FaultKind.Xid, Gpu.Value, Xid: 79));

        actuator.ResetGpu(Gpu);
        twin.Step(TimeSpan.FromMinutes(3));
        Assert.True(twin.GroundTruth[0].IsActive);

        var reboot = actuator.RebootNode(Node);
        Assert.InRange(reboot.CompletesAt - reboot.StartedAt, TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(25));
        twin.Step(TimeSpan.FromMinutes(5));
        Assert.False(twin.GetHeartbeat(Node).Alive);
        twin.Step(TimeSpan.FromMinutes(21));

        Assert.True(twin.GetHeartbeat(Node).Alive);
        Assert.False(twin.GroundTruth[0].IsActive);
    }

    [Fact]
    public void A_reboot_brings_back_a_node_whose_heartbeat_was_lost()
    {
        var twin = new FleetTwin(TestFleets.Small, 4, TestFleets.Quiet);
        twin.Inject(new FaultRequest(FaultKind.HeartbeatLoss, Node.Value));
        twin.Step(TimeSpan.FromMinutes(5));
        Assert.False(twin.GetHeartbeat(Node).Alive);

        new TwinActuator(twin).RebootNode(Node);
        twin.Step(TimeSpan.FromMinutes(26));

        Assert.True(twin.GetHeartbeat(Node).Alive);
        Assert.Equal(twin.Now, twin.GetHeartbeat(Node).LastSeen);
        Assert.NotNull(Assert.Single(twin.GroundTruth).ClearedAt);
    }

    [Theory]
    [InlineData(FaultKind.Xid, DiagnosticLevel.R1)]
    [InlineData(FaultKind.EccDbeStorm, DiagnosticLevel.R2)]
    [InlineData(FaultKind.Thermal, DiagnosticLevel.R3)]
    [InlineData(FaultKind.SilentDataCorruption, DiagnosticLevel.R4)]
    public void Diagnostics_fail_on_a_faulted_gpu_only_from_the_level_that_can_see_the_fault(FaultKind kind, DiagnosticLevel detectableAt)
    {
        var twin = new FleetTwin(TestFleets.Small, 4, TestFleets.Quiet);
        var actuator = new TwinActuator(twin);
        twin.Inject(new FaultRequest(kind, Gpu.Value, Xid: kind == FaultKind.Xid ? 79 : null));

        foreach (var level in Enum.GetValues<DiagnosticLevel>())
        {
            var run = actuator.RunDiagnostics(Node, level);
            Assert.Equal(level < detectableAt, run.Passed);
            Assert.Equal(level < detectableAt ? [] : [Gpu], run.FailedGpus);
            Assert.Equal(TwinActuator.DiagnosticDuration(level), run.CompletesAt - run.StartedAt);
        }
    }

    [Fact]
    public void Diagnostics_pass_a_healthy_node_and_never_blame_hardware_for_a_software_fault()
    {
        var twin = new FleetTwin(TestFleets.Small, 4, TestFleets.Quiet);
        twin.Inject(new FaultRequest(FaultKind.Xid, Gpu.Value, Xid: 13));

        Assert.True(new TwinActuator(twin).RunDiagnostics(Node, DiagnosticLevel.R4).Passed);
    }

    [Fact]
    public void Repairing_a_switch_brings_its_ports_back_and_closes_the_fault()
    {
        var twin = new FleetTwin(TestFleets.Small, 4, TestFleets.Quiet);
        var fault = twin.Inject(new FaultRequest(FaultKind.SwitchDown, "euw1-dc1-su1-l01-r3"));
        twin.Step(TimeSpan.FromMinutes(30));
        Assert.Equal(PortState.Down, twin.ReadPortState(Node, 3));

        Assert.True(new TwinActuator(twin).Repair(fault.Id));

        Assert.Equal(PortState.Active, twin.ReadPortState(Node, 3));
        Assert.Equal(1, twin.ReadPortCounter(Node, 3, "link_downed"));
        Assert.Equal(twin.Now, twin.GroundTruth[0].ClearedAt);
        Assert.False(new TwinActuator(twin).Repair(fault.Id));
    }

    [Fact]
    public void Replacing_a_gpu_clears_its_row_remap_failure_and_counters()
    {
        var twin = new FleetTwin(TestFleets.Small, 4, TestFleets.Quiet);
        twin.Inject(new FaultRequest(FaultKind.EccDbeStorm, Gpu.Value));
        twin.Step(TimeSpan.FromMinutes(5));

        var ticket = new TwinActuator(twin).ReplaceGpu(Gpu);
        twin.Step(ticket.CompletesAt - twin.Now);

        var reading = twin.ReadGpu(Gpu);
        Assert.Equal(0, reading.EccDbeAggregate);
        Assert.False(reading.RowRemapFailure);
        Assert.False(reading.RowRemapPending);
        Assert.False(twin.GroundTruth[0].IsActive);
    }

    [Fact]
    public async Task As_a_hardware_actuator_plugin_a_reset_completes_after_its_virtual_duration()
    {
        var twin = new FleetTwin(TestFleets.Small, 4, TestFleets.Quiet);
        IHardwareActuator actuator = new TwinActuator(twin);
        twin.Inject(new FaultRequest(FaultKind.Xid, Gpu.Value, Xid: 120));

        var reset = actuator.ExecuteAsync(new ActuationRequest(HardwareAction.ResetGpu, Gpu.Value, "XID 120"), CancellationToken.None);
        Assert.False(reset.IsCompleted);
        twin.Step(TimeSpan.FromMinutes(2));
        var result = await reset.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.True(result.Succeeded);
        Assert.Equal(twin.Options.GpuResetTime, result.Took);
        Assert.False(twin.GroundTruth[0].IsActive);
        Assert.Contains(HardwareAction.RunDiagnostics, actuator.Supported);
    }

    [Fact]
    public async Task As_a_hardware_actuator_plugin_diagnostics_report_failure_after_the_level_duration()
    {
        var twin = new FleetTwin(TestFleets.Small, 4, TestFleets.Quiet);
        IHardwareActuator actuator = new TwinActuator(twin);
        twin.Inject(new FaultRequest(FaultKind.SilentDataCorruption, Gpu.Value));

        var diag = actuator.ExecuteAsync(new ActuationRequest(HardwareAction.RunDiagnostics, Node.Value, "suspected SDC", DiagnosticLevel.R4), CancellationToken.None);
        twin.Step(TimeSpan.FromMinutes(74));
        Assert.False(diag.IsCompleted);
        twin.Step(TimeSpan.FromMinutes(1));
        var result = await diag.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.False(result.Succeeded);
        Assert.Equal(TimeSpan.FromMinutes(75), result.Took);
        Assert.Contains("SilentDataCorruption", result.Detail);
    }

    [Fact]
    public async Task A_refused_action_is_a_failed_result_not_an_exception()
    {
        var twin = new FleetTwin(TestFleets.Small, 4, TestFleets.Quiet);
        twin.Inject(new FaultRequest(FaultKind.HeartbeatLoss, Node.Value));

        var result = await new TwinActuator(twin).ExecuteAsync(new ActuationRequest(HardwareAction.ResetGpu, Gpu.Value, "test"), CancellationToken.None);
        var unknown = await new TwinActuator(twin).ExecuteAsync(new ActuationRequest(HardwareAction.RebootNode, "nowhere-n01", "test"), CancellationToken.None);

        Assert.False(result.Succeeded);
        Assert.Contains("does not answer", result.Detail);
        Assert.False(unknown.Succeeded);
    }
}

using NeoCloud.Fleet.Actuation;
using NeoCloud.Fleet.Topology;
using NeoCloud.Health.Catalog;
using NeoCloud.Health.Findings;
using NeoCloud.Health.Remediation;
using NeoCloud.Kernel.Audit;

namespace NeoCloud.Health.Tests.Remediation;

public sealed class RemediationWorkflowTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task A_reset_that_passes_verification_checkpoints_and_evicts_the_work_then_returns_the_gpu()
    {
        var rig = new RemediationRig();
        var node = RemediationFleet.Rack(0)[0];
        string gpu = RemediationFleet.Gpu(node, 3);
        rig.Workloads.Place(7, gpu, RemediationFleet.Gpu(node, 4));
        rig.Workloads.Place(8, RemediationFleet.Gpu(node, 5));

        var run = await rig.ProposeAsync(rig.GpuFault(gpu, RemedyHint.ResetGpu));
        Assert.Equal([RemediationAction.ResetGpu, RemediationAction.RebootNode, RemediationAction.Replace], run.Ladder);
        Assert.Equal(RemediationStep.Cordon, run.Step);

        await rig.AdvanceAsync();
        Assert.Equal([$"fence nodes=[] gpus=[{gpu}]"], rig.Fleet.Calls);
        Assert.Equal(["checkpoint job-7"], rig.Workloads.Events);
        Assert.Equal(RemediationStep.Checkpoint, (await rig.RunAsync(run.Id)).Step);

        await rig.AdvanceAsync();
        Assert.Equal(RemediationStep.Checkpoint, (await rig.RunAsync(run.Id)).Step);

        rig.Clock.Advance(TimeSpan.FromSeconds(30));
        await rig.AdvanceAsync();
        Assert.Equal(["checkpoint job-7", "evict job-7"], rig.Workloads.Events);
        Assert.True(rig.Workloads.IsRunning(8));
        Assert.Equal(RemediationStep.Act, (await rig.RunAsync(run.Id)).Step);
        Assert.Equal(new ActuationRequest(HardwareAction.ResetGpu, gpu, $"remediation {run.Id}: {run.Reason}"), Assert.Single(rig.Actuator.Pending));

        rig.Clock.Advance(TimeSpan.FromMinutes(1));
        await rig.AdvanceAsync();
        Assert.Equal(RemediationStep.Act, (await rig.RunAsync(run.Id)).Step);

        rig.Actuator.Complete(HardwareAction.ResetGpu, succeeded: true);
        await rig.AdvanceAsync();
        Assert.Equal(RemediationStep.Verify, (await rig.RunAsync(run.Id)).Step);
        var verify = Assert.Single(rig.Actuator.Pending);
        // A GPU-level run's burn-in tests that GPU alone: another GPU's fault on the node must not fail it.
        Assert.Equal((HardwareAction.RunDiagnostics, gpu, DiagnosticLevel.R2), (verify.Action, verify.Target, verify.Level!.Value));

        rig.Actuator.Complete(HardwareAction.RunDiagnostics, succeeded: true);
        await rig.AdvanceAsync();
        var done = await rig.RunAsync(run.Id);
        Assert.Equal(RemediationStep.Returned, done.Step);
        Assert.NotNull(done.FinishedAt);
        Assert.Equal(1.5, done.GpuHoursLost);
        Assert.Equal($"release nodes=[] gpus=[{gpu}]", rig.Fleet.Calls[^1]);
        Assert.Empty(rig.Fleet.Quarantined);

        var writes = rig.Store.Writes.Where(w => w.Id == run.Id).ToList();
        Assert.Equal(Enumerable.Range(1, writes.Count).Select(v => (long)v), writes.Select(w => w.Version));
        Assert.Equal(
            [RemediationStep.Queued, RemediationStep.Cordon, RemediationStep.Checkpoint, RemediationStep.Drain, RemediationStep.Act, RemediationStep.Verify, RemediationStep.Returned],
            writes.Select(w => w.Step).Distinct());
        Assert.Equal(writes.Count, done.History.Count);

        var audited = rig.Audit.Entries.Where(e => e.Target == $"gpu:{gpu}").ToList();
        Assert.Equal(writes.Count, audited.Count);
        Assert.All(audited, e => Assert.Equal(Actor.Automation("health-remediation"), e.Actor));
        Assert.Contains(audited, e => e.Action == "remediation.checkpoint" && e.Before == "Cordon" && e.After == "Checkpoint");
        Assert.Equal("remediation.returned", audited[^1].Action);
    }

    [Fact]
    public async Task A_reset_that_fails_verification_escalates_to_a_reboot_of_the_whole_node_then_sends_the_gpu_to_rma()
    {
        var rig = new RemediationRig();
        var node = RemediationFleet.Rack(1)[2];
        string gpu = RemediationFleet.Gpu(node, 0);
        rig.Workloads.Place(7, gpu);
        rig.Workloads.Place(8, RemediationFleet.Gpu(node, 6));

        var run = await rig.ProposeAsync(rig.GpuFault(gpu, RemedyHint.ResetGpu));
        await rig.AdvanceAsync();
        rig.Clock.Advance(TimeSpan.FromSeconds(30));
        await rig.AdvanceAsync();
        rig.Actuator.Complete(HardwareAction.ResetGpu, succeeded: true);
        await rig.AdvanceAsync();
        rig.Actuator.Complete(HardwareAction.RunDiagnostics, succeeded: false);
        await rig.AdvanceAsync();

        var widened = await rig.RunAsync(run.Id);
        Assert.Equal((RemediationStep.Checkpoint, 1, RemediationAction.RebootNode), (widened.Step, widened.Rung, widened.Action));
        Assert.Contains(node.Id.Value, rig.Fleet.Cordoned);
        Assert.True(rig.Workloads.IsRunning(8));
        Assert.Contains("checkpoint job-8", rig.Workloads.Events);

        rig.Clock.Advance(TimeSpan.FromSeconds(30));
        await rig.AdvanceAsync();
        Assert.False(rig.Workloads.IsRunning(8));
        Assert.Equal(new ActuationRequest(HardwareAction.RebootNode, node.Id.Value, $"remediation {run.Id}: {run.Reason}"), Assert.Single(rig.Actuator.Pending));

        rig.Actuator.Complete(HardwareAction.RebootNode, succeeded: true);
        await rig.AdvanceAsync();
        rig.Actuator.Complete(HardwareAction.RunDiagnostics, succeeded: false);
        await rig.AdvanceAsync();

        var done = await rig.RunAsync(run.Id);
        Assert.Equal((RemediationStep.Rma, RemediationAction.Replace), (done.Step, done.Action));
        Assert.Equal(HardwareAction.ReplaceGpu, rig.Actuator.Calls[^1].Request.Action);
        Assert.Equal(gpu, rig.Actuator.Calls[^1].Request.Target);
        Assert.Contains(gpu, rig.Fleet.Retired);
        Assert.DoesNotContain(node.Id.Value, rig.Fleet.Cordoned);
        Assert.Equal(2, done.History.Count(e => e.What == "escalated"));
        Assert.Equal(3.0, done.GpuHoursLost);
        Assert.Contains(rig.Audit.Entries, e => e.Action == "remediation.rma" && e.Reason.Contains("capacity in RMA", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Allow_completion_waits_for_the_work_to_end_and_evicts_nothing()
    {
        var rig = new RemediationRig(new RemediationPolicy { MaxClusterFraction = 0.5, DrainMode = DrainMode.AllowCompletion });
        var node = RemediationFleet.Rack(0)[1];
        string gpu = RemediationFleet.Gpu(node, 2);
        rig.Workloads.Place(7, gpu);

        var run = await rig.ProposeAsync(rig.GpuFault(gpu, RemedyHint.ResetGpu));
        await rig.AdvanceAsync();
        rig.Clock.Advance(TimeSpan.FromSeconds(30));
        await rig.AdvanceAsync();
        rig.Clock.Advance(TimeSpan.FromHours(3));
        await rig.AdvanceAsync();
        Assert.Equal(RemediationStep.Drain, (await rig.RunAsync(run.Id)).Step);
        Assert.Empty(rig.Actuator.Calls);

        rig.Workloads.Finish(7);
        await rig.AdvanceAsync();
        Assert.Equal(RemediationStep.Act, (await rig.RunAsync(run.Id)).Step);
        Assert.DoesNotContain(rig.Workloads.Events, e => e.StartsWith("evict", StringComparison.Ordinal));
        Assert.Equal(0, (await rig.RunAsync(run.Id)).GpuHoursLost);
    }

    [Fact]
    public async Task After_timeout_lets_the_work_run_until_the_drain_timeout_then_evicts_it()
    {
        var rig = new RemediationRig(new RemediationPolicy { MaxClusterFraction = 0.5, DrainMode = DrainMode.AfterTimeout, DrainTimeout = TimeSpan.FromMinutes(10) });
        var node = RemediationFleet.Rack(0)[1];
        string gpu = RemediationFleet.Gpu(node, 2);
        rig.Workloads.Place(7, gpu);

        var run = await rig.ProposeAsync(rig.GpuFault(gpu, RemedyHint.ResetGpu));
        await rig.AdvanceAsync();
        rig.Clock.Advance(TimeSpan.FromSeconds(30));
        await rig.AdvanceAsync();
        rig.Clock.Advance(TimeSpan.FromMinutes(9));
        await rig.AdvanceAsync();
        Assert.Equal(RemediationStep.Drain, (await rig.RunAsync(run.Id)).Step);
        Assert.True(rig.Workloads.IsRunning(7));

        rig.Clock.Advance(TimeSpan.FromMinutes(1));
        await rig.AdvanceAsync();
        Assert.False(rig.Workloads.IsRunning(7));
        var acting = await rig.RunAsync(run.Id);
        Assert.Equal(RemediationStep.Act, acting.Step);
        Assert.Equal(1.5, acting.GpuHoursLost);
    }

    [Fact]
    public async Task A_gated_action_waits_for_a_persons_approval_before_anything_is_fenced()
    {
        var rig = new RemediationRig(new RemediationPolicy { MaxClusterFraction = 0.5, RequireApproval = new HashSet<RemediationAction> { RemediationAction.RebootNode } });
        var node = RemediationFleet.Rack(2)[0].Id.Value;

        var run = await rig.ProposeAsync(rig.NodeFault(node, RemedyHint.RebootNode));
        Assert.Equal(RemediationStep.AwaitingApproval, run.Step);
        Assert.True(run.RequiresApproval);
        await rig.AdvanceAsync();
        Assert.Empty(rig.Fleet.Calls);

        var approved = await rig.Engine.ApproveAsync(run.Id, Actor.Person("alice"), None);
        Assert.Equal((RemediationStep.Cordon, "person:alice"), (approved.Step, approved.ApprovedBy));
        Assert.Contains(rig.Audit.Entries, e => e.Actor == Actor.Person("alice") && e.Action == "remediation.cordon");

        await rig.AdvanceAsync();
        Assert.Equal($"fence nodes=[{node}] gpus=[]", rig.Fleet.Calls[0]);
        Assert.Equal(HardwareAction.RebootNode, Assert.Single(rig.Actuator.Pending).Action);
        await Assert.ThrowsAsync<InvalidOperationException>(() => rig.Engine.ApproveAsync(run.Id, Actor.Person("alice"), None));
    }

    [Fact]
    public async Task A_dry_run_records_what_it_would_do_and_does_nothing()
    {
        var rig = new RemediationRig(new RemediationPolicy { MaxClusterFraction = 0.5, DryRun = true });
        string gpu = RemediationFleet.Gpu(RemediationFleet.Rack(0)[0], 1);
        rig.Workloads.Place(7, gpu);

        var run = await rig.ProposeAsync(rig.GpuFault(gpu, RemedyHint.ResetGpu));
        await rig.AdvanceAsync();

        Assert.True(run.DryRun);
        Assert.Equal(RemediationStep.Refused, run.Step);
        Assert.Contains(run.History, e => e.What == "dry run" && e.Detail.Contains("would fence GPU", StringComparison.Ordinal) && e.Detail.Contains("ResetGpu → RebootNode → Replace", StringComparison.Ordinal));
        Assert.Empty(rig.Fleet.Calls);
        Assert.Empty(rig.Actuator.Calls);
        Assert.Empty(rig.Workloads.Events);
        Assert.Equal(1, (await rig.RunAsync(run.Id)).Version);
    }

    [Fact]
    public async Task A_restarted_engine_finishes_a_run_left_at_act_by_issuing_the_action_again()
    {
        var rig = new RemediationRig();
        var node = RemediationFleet.Rack(0)[3];
        string gpu = RemediationFleet.Gpu(node, 7);
        var run = await rig.ProposeAsync(rig.GpuFault(gpu, RemedyHint.ResetGpu));
        await rig.AdvanceAsync();
        Assert.Equal(RemediationStep.Act, (await rig.RunAsync(run.Id)).Step);
        Assert.Single(rig.Actuator.Pending);

        rig.NewEngine();
        await rig.AdvanceAsync();
        Assert.Equal(2, rig.Actuator.Pending.Count(r => r.Action == HardwareAction.ResetGpu && r.Target == gpu));

        rig.Actuator.CompleteAll(HardwareAction.ResetGpu, succeeded: true);
        await rig.AdvanceAsync();
        rig.Actuator.Complete(HardwareAction.RunDiagnostics, succeeded: true);
        await rig.AdvanceAsync();
        Assert.Equal(RemediationStep.Returned, (await rig.RunAsync(run.Id)).Step);
        Assert.Empty(rig.Fleet.Quarantined);
    }

    [Fact]
    public async Task A_restarted_engine_reads_the_work_again_at_drain_and_evicts_only_what_is_left()
    {
        var rig = new RemediationRig();
        var node = RemediationFleet.Rack(0)[3];
        string gpu = RemediationFleet.Gpu(node, 7);
        rig.Workloads.Place(7, gpu);
        var run = await rig.ProposeAsync(rig.GpuFault(gpu, RemedyHint.ResetGpu));
        await rig.AdvanceAsync();
        rig.Store.Overwrite(run.Id, r => r with { Step = RemediationStep.Drain });
        rig.Workloads.Finish(7);
        rig.Workloads.Place(9, gpu);

        rig.NewEngine();
        await rig.AdvanceAsync();
        Assert.Contains("evict job-9", rig.Workloads.Events);
        Assert.DoesNotContain("evict job-7", rig.Workloads.Events);
        Assert.Equal(RemediationStep.Act, (await rig.RunAsync(run.Id)).Step);
    }

    [Fact]
    public async Task A_leaf_switch_failure_opens_a_fabric_ticket_for_the_switch_and_fences_no_node()
    {
        var rig = new RemediationRig();
        var leaf = rig.Topology.Switches.First(s => s.Tier == SwitchTier.Leaf);
        var below = rig.Topology.NodesUnderSwitch(leaf.Id).Select(i => rig.Topology.Nodes[i].Id.Value).ToList();
        foreach (var n in below)
        {
            rig.Workloads.Place(below.IndexOf(n) + 100, $"{n}/gpu0");
        }

        var run = await rig.ProposeAsync(rig.Diagnose(new ComponentRef(ComponentKind.Switch, leaf.Id.Value), RemedyHint.RepairFabric, true, below, [], "IB-LINK-DOWNED"));
        Assert.Empty(run.Nodes);
        Assert.Equal([RemediationAction.RepairFabric], run.Ladder);

        await rig.AdvanceAsync();
        var ticket = Assert.Single(rig.Actuator.Pending);
        Assert.Equal((HardwareAction.RepairFabric, leaf.Id.Value), (ticket.Action, ticket.Target));
        rig.Actuator.Complete(HardwareAction.RepairFabric, succeeded: true);
        await rig.AdvanceAsync();

        Assert.Equal(RemediationStep.Returned, (await rig.RunAsync(run.Id)).Step);
        Assert.Empty(rig.Fleet.Calls);
        Assert.Empty(rig.Workloads.Events);
    }

    [Fact]
    public async Task A_bad_port_fences_its_node_and_opens_a_fabric_ticket_for_the_port()
    {
        var rig = new RemediationRig();
        string node = RemediationFleet.Rack(3)[5].Id.Value;
        var run = await rig.ProposeAsync(rig.Diagnose(new ComponentRef(ComponentKind.Port, $"{node}/mlx5_2"), RemedyHint.RepairFabric, true, [node], [], "IB-LINK-DOWNED"));
        await rig.AdvanceAsync();

        Assert.Equal($"fence nodes=[{node}] gpus=[]", rig.Fleet.Calls[0]);
        Assert.Equal((HardwareAction.RepairFabric, $"{node}/mlx5_2"), (rig.Actuator.Pending.Single().Action, rig.Actuator.Pending.Single().Target));
        rig.Actuator.Complete(HardwareAction.RepairFabric, succeeded: true);
        await rig.AdvanceAsync();
        Assert.Equal(RemediationStep.Returned, (await rig.RunAsync(run.Id)).Step);
        Assert.Empty(rig.Fleet.Cordoned);
    }

    [Fact]
    public async Task An_application_error_of_a_job_takes_no_hardware_action_and_says_why()
    {
        var rig = new RemediationRig();
        var job = rig.Diagnose(new ComponentRef(ComponentKind.Job, "team-a/train-7"), RemedyHint.RestartApplication, false, [], [], "XID-13");
        string gpu = RemediationFleet.Gpu(RemediationFleet.Rack(0)[0], 0);
        var app = rig.GpuFault(gpu, RemedyHint.RestartApplication, fatal: false, code: "XID-13");

        Assert.Null(await rig.Engine.ProposeAsync(job, None));
        Assert.Null(await rig.Engine.ProposeAsync(app, None));
        Assert.Empty(rig.Store.AllRuns());
        Assert.Equal(2, rig.Audit.Entries.Count(e => e.Action == "remediation.no-action" && e.Reason.StartsWith("no hardware action: ", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_manual_uncordon_cancels_the_run_without_releasing_anything()
    {
        var rig = new RemediationRig();
        string node = RemediationFleet.Rack(1)[0].Id.Value;
        var run = await rig.ProposeAsync(rig.NodeFault(node, RemedyHint.RebootNode));
        await rig.AdvanceAsync();
        Assert.Equal(RemediationStep.Act, (await rig.RunAsync(run.Id)).Step);

        await rig.Engine.NodeUncordonedAsync(node, Actor.Person("bob"), None);
        var cancelled = await rig.RunAsync(run.Id);
        Assert.Equal(RemediationStep.Cancelled, cancelled.Step);
        Assert.DoesNotContain(rig.Fleet.Calls, c => c.StartsWith("release", StringComparison.Ordinal));
        Assert.Contains(rig.Audit.Entries, e => e.Action == "remediation.cancelled" && e.Actor == Actor.Person("bob"));

        rig.Actuator.Complete(HardwareAction.RebootNode, succeeded: true);
        await rig.AdvanceAsync();
        Assert.Equal(cancelled.Version, (await rig.RunAsync(run.Id)).Version);
    }

    [Fact]
    public async Task Cancelling_one_run_finishes_it_and_is_audited_with_the_person()
    {
        var rig = new RemediationRig();
        string gpu = RemediationFleet.Gpu(RemediationFleet.Rack(1)[1], 1);
        var run = await rig.ProposeAsync(rig.GpuFault(gpu, RemedyHint.ResetGpu));

        var cancelled = await rig.Engine.CancelAsync(run.Id, Actor.Person("carol"), "known flaky, leave it", None);
        Assert.Equal(RemediationStep.Cancelled, cancelled.Step);
        Assert.Contains(rig.Audit.Entries, e => e.Action == "remediation.cancelled" && e.Reason.Contains("known flaky", StringComparison.Ordinal));
        await Assert.ThrowsAsync<KeyNotFoundException>(() => rig.Engine.CancelAsync("rem-nope", Actor.Person("carol"), "x", None));
    }

    [Fact]
    public async Task A_retried_diagnosis_returns_its_run_and_a_second_diagnosis_of_the_same_gpu_is_merged_into_it()
    {
        var rig = new RemediationRig();
        string gpu = RemediationFleet.Gpu(RemediationFleet.Rack(0)[2], 2);
        var diagnosis = rig.GpuFault(gpu, RemedyHint.ResetGpu);

        var first = await rig.ProposeAsync(diagnosis);
        var again = await rig.ProposeAsync(diagnosis);
        var second = rig.GpuFault(gpu, RemedyHint.ResetGpu, code: "XID-48");
        var other = await rig.ProposeAsync(second);
        var otherAgain = await rig.ProposeAsync(second);

        Assert.Equal(first.Id, again.Id);
        Assert.Equal(first.Id, other.Id);
        Assert.Equal(first.Id, otherAgain.Id);
        Assert.Single(rig.Store.AllRuns());
        var merged = Assert.Single((await rig.RunAsync(first.Id)).History, e => e.What == "merged");
        Assert.Contains(second.Id, merged.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_node_diagnosis_on_a_gpu_being_reset_widens_that_run_to_a_reboot_of_the_node()
    {
        var rig = new RemediationRig();
        var host = RemediationFleet.Rack(0)[2];
        string node = host.Id.Value;
        string gpu = RemediationFleet.Gpu(host, 2);
        var run = await rig.ProposeAsync(rig.GpuFault(gpu, RemedyHint.ResetGpu));

        var widened = await rig.ProposeAsync(rig.NodeFault(node, RemedyHint.RebootNode));

        Assert.Equal(run.Id, widened.Id);
        Assert.Single(rig.Store.AllRuns());
        Assert.Equal(new ComponentRef(ComponentKind.Node, node), widened.Target);
        Assert.Equal(RemediationAction.RebootNode, widened.Action);
        Assert.Contains(node, widened.Nodes);
        Assert.Contains(gpu, widened.Gpus);
        Assert.Equal(RemediationStep.Cordon, widened.Step);
        Assert.Contains(widened.History, e => e.What == "widened");
    }

    [Fact]
    public async Task A_cable_fault_on_a_node_whose_gpu_is_being_reset_gets_its_own_ticket()
    {
        var rig = new RemediationRig();
        var host = RemediationFleet.Rack(0)[2];
        string node = host.Id.Value;
        var gpuRun = await rig.ProposeAsync(rig.GpuFault(RemediationFleet.Gpu(host, 2), RemedyHint.ResetGpu));

        var port = new ComponentRef(ComponentKind.Port, node + "/mlx5_3");
        var portRun = await rig.ProposeAsync(rig.Diagnose(port, RemedyHint.RepairFabric, fatal: true, [node], [], "IB-LINK-DOWNED"));

        Assert.NotEqual(gpuRun.Id, portRun.Id);
        Assert.Equal(port, portRun.Target);
        Assert.Equal(RemediationAction.ResetGpu, (await rig.RunAsync(gpuRun.Id)).Action);
    }

    [Fact]
    public async Task A_write_lost_to_another_controller_is_reloaded_and_the_run_moves_on_next_round()
    {
        var rig = new RemediationRig();
        string gpu = RemediationFleet.Gpu(RemediationFleet.Rack(0)[2], 2);
        var run = await rig.ProposeAsync(rig.GpuFault(gpu, RemedyHint.ResetGpu));
        rig.Store.ConflictOnNextUpdateOf = run.Id;

        await rig.AdvanceAsync();
        Assert.Equal(RemediationStep.Cordon, (await rig.RunAsync(run.Id)).Step);

        await rig.AdvanceAsync();
        Assert.Equal(RemediationStep.Act, (await rig.RunAsync(run.Id)).Step);
    }

    [Fact]
    public async Task Numeric_anomalies_are_diagnosed_at_r4_and_a_failed_diagnosis_sends_the_gpu_to_rma()
    {
        var rig = new RemediationRig();
        var node = RemediationFleet.Rack(2)[4];
        string gpu = RemediationFleet.Gpu(node, 1);
        var run = await rig.ProposeAsync(rig.GpuFault(gpu, RemedyHint.Diagnose, code: "NUMERIC-ANOMALY"));
        await rig.AdvanceAsync();

        var diag = Assert.Single(rig.Actuator.Pending);
        Assert.Equal((HardwareAction.RunDiagnostics, gpu, DiagnosticLevel.R4), (diag.Action, diag.Target, diag.Level!.Value));
        rig.Actuator.Complete(HardwareAction.RunDiagnostics, succeeded: false);
        await rig.AdvanceAsync();

        Assert.Equal(RemediationStep.Rma, (await rig.RunAsync(run.Id)).Step);
        Assert.Contains(gpu, rig.Fleet.Retired);
    }

    [Fact]
    public async Task An_action_that_never_answers_times_out_and_escalates()
    {
        var rig = new RemediationRig(new RemediationPolicy { MaxClusterFraction = 0.5, ActionTimeout = TimeSpan.FromMinutes(20) });
        string node = RemediationFleet.Rack(1)[3].Id.Value;
        var run = await rig.ProposeAsync(rig.NodeFault(node, RemedyHint.RebootNode));
        await rig.AdvanceAsync();
        rig.Clock.Advance(TimeSpan.FromMinutes(19));
        await rig.AdvanceAsync();
        Assert.Equal(RemediationStep.Act, (await rig.RunAsync(run.Id)).Step);

        rig.Clock.Advance(TimeSpan.FromMinutes(1));
        await rig.AdvanceAsync();
        var done = await rig.RunAsync(run.Id);
        Assert.Equal(RemediationStep.Rma, done.Step);
        Assert.Contains(done.History, e => e.What == "escalated" && e.Detail.Contains("no answer within 20 min", StringComparison.Ordinal));
        Assert.Equal(HardwareAction.RepairNode, rig.Actuator.Calls[^1].Request.Action);
        Assert.Contains(node, rig.Fleet.Retired);
    }

    [Fact]
    public async Task A_straggler_is_fenced_and_drained_then_verified_without_touching_the_hardware()
    {
        var rig = new RemediationRig();
        var node = RemediationFleet.Rack(2)[1];
        string gpu = RemediationFleet.Gpu(node, 6);
        rig.Workloads.Place(7, gpu);
        var run = await rig.ProposeAsync(rig.GpuFault(gpu, RemedyHint.Drain, fatal: false, code: "STRAGGLER"));
        Assert.Equal([RemediationAction.None, RemediationAction.ResetGpu, RemediationAction.RebootNode, RemediationAction.Replace], run.Ladder);

        await rig.AdvanceAsync();
        rig.Clock.Advance(TimeSpan.FromSeconds(30));
        await rig.AdvanceAsync();
        var verify = Assert.Single(rig.Actuator.Calls).Request;
        Assert.Equal(HardwareAction.RunDiagnostics, verify.Action);
        Assert.False(rig.Workloads.IsRunning(7));

        rig.Actuator.Complete(HardwareAction.RunDiagnostics, succeeded: true);
        await rig.AdvanceAsync();
        Assert.Equal(RemediationStep.Returned, (await rig.RunAsync(run.Id)).Step);
        Assert.Equal([$"fence nodes=[] gpus=[{gpu}]", $"release nodes=[] gpus=[{gpu}]"], rig.Fleet.Calls);
    }

    [Fact]
    public async Task A_bad_pdu_opens_a_power_ticket_for_the_pdu_and_drains_none_of_its_nodes()
    {
        var rig = new RemediationRig();
        var rack = RemediationFleet.Rack(3);
        var pdu = rack[0].Pdu.Value;
        var run = await rig.ProposeAsync(rig.Diagnose(new ComponentRef(ComponentKind.Pdu, pdu), RemedyHint.RepairPower, true, [.. rack.Select(n => n.Id.Value)], [], "HEARTBEAT-MISSING"));

        Assert.Empty(run.Nodes);
        await rig.AdvanceAsync();
        Assert.Equal((HardwareAction.RepairPower, pdu), (rig.Actuator.Pending.Single().Action, rig.Actuator.Pending.Single().Target));
        rig.Actuator.Complete(HardwareAction.RepairPower, succeeded: true);
        await rig.AdvanceAsync();
        Assert.Equal(RemediationStep.Returned, (await rig.RunAsync(run.Id)).Step);
        Assert.Empty(rig.Fleet.Calls);
    }

    [Fact]
    public async Task A_failed_facility_ticket_pages_a_person_and_leaves_the_decision_to_them()
    {
        var rig = new RemediationRig();
        string node = RemediationFleet.Rack(3)[5].Id.Value;
        var run = await rig.ProposeAsync(rig.Diagnose(new ComponentRef(ComponentKind.Port, $"{node}/mlx5_1"), RemedyHint.RepairFabric, true, [node], [], "IB-LINK-DOWNED"));
        await rig.AdvanceAsync();
        rig.Actuator.Complete(HardwareAction.RepairFabric, succeeded: false);
        await rig.AdvanceAsync();

        var done = await rig.RunAsync(run.Id);
        Assert.Equal(RemediationStep.Refused, done.Step);
        Assert.Contains(node, rig.Fleet.Cordoned);
        var page = Assert.Single(rig.Pager.Pages);
        Assert.Equal(Severity.Warning, page.Severity);
        Assert.Contains("a person decides", page.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_diagnosis_of_a_node_outside_the_fleet_is_rejected_with_its_name()
    {
        var rig = new RemediationRig();
        var ex = await Assert.ThrowsAsync<ArgumentException>(() => rig.Engine.ProposeAsync(rig.NodeFault("nowhere-n01", RemedyHint.RebootNode), None));
        Assert.Contains("nowhere-n01", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_action_the_actuator_does_not_support_fails_its_rung_without_being_called()
    {
        var rig = new RemediationRig();
        rig.Actuator.Supported = new HashSet<HardwareAction> { HardwareAction.ResetGpu, HardwareAction.RebootNode, HardwareAction.RunDiagnostics, HardwareAction.ReplaceGpu, HardwareAction.RepairNode };
        string node = RemediationFleet.Rack(3)[5].Id.Value;
        var run = await rig.ProposeAsync(rig.Diagnose(new ComponentRef(ComponentKind.Port, $"{node}/mlx5_1"), RemedyHint.RepairFabric, true, [node], [], "IB-LINK-DOWNED"));
        await rig.AdvanceAsync();

        var done = await rig.RunAsync(run.Id);
        Assert.Equal(RemediationStep.Refused, done.Step);
        Assert.Contains(done.History, e => e.Detail.Contains("does not support RepairFabric", StringComparison.Ordinal));
        Assert.Empty(rig.Actuator.Calls);
    }
}

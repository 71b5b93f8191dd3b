using NeoCloud.Fleet.Topology;
using NeoCloud.Health.Catalog;
using NeoCloud.Health.Correlation;
using NeoCloud.Health.Findings;
using NeoCloud.Health.Remediation;
using NeoCloud.Health.Store;
using NeoCloud.Simulator.Faults;
using NeoCloud.Simulator.SelfHealing;
using NeoCloud.Simulator.Twin;

namespace NeoCloud.Simulator.Tests.SelfHealing;

/// <summary>
/// The fault scenarios, each on the twin with the whole health pipeline, asserting outcomes against the ground
/// truth: what was detected, what was blamed, what was (and was not) done to the hardware, and how fast work moved.
/// </summary>
public sealed class ScenarioTests
{
    [Fact]
    public void A_single_xid_79_is_detected_in_seconds_its_work_runs_elsewhere_within_three_minutes_and_the_node_comes_back()
    {
        var (twin, loop) = ScenarioFleet.Start();
        int gpu = BusyGpu(twin, minGpus: 1);
        string gpuId = twin.Topology.Gpus[gpu].Id.Value;
        string node = twin.Topology.Gpus[gpu].Node.Value;

        twin.Inject(new FaultRequest(FaultKind.Xid, gpuId, Xid: 79));
        loop.RunFor(TimeSpan.FromMinutes(45), CancellationToken.None);

        var health = loop.Summarize();
        Assert.Equal(1, health.FaultsInjected);
        Assert.Equal(1, health.FaultsDetected);
        Assert.InRange(health.Mttd.P95, 0, 30);
        Assert.InRange(health.Mttm.P95, 0, 180);
        Assert.Equal(0, health.MissedFatal);
        Assert.Equal(0, health.ActionsFalsePositive);
        Assert.Equal(0, health.SafetyBudgetExceeded);

        var findings = Findings(loop);
        Assert.Contains(findings, f => f.Code == "XID-79" && f.Component.Id == gpuId);
        var outcome = Assert.Single(health.Faults);
        Assert.Equal(gpuId, outcome.Target);
        Assert.Equal("XID-79", Assert.Single(findings, f => f.Id == outcome.DetectedBy).Code);
        Assert.DoesNotContain(findings, f => f.Code == "HEARTBEAT-MISSING"); // the reboot's silence is planned, not a fault
        var run = Assert.Single(Runs(loop));
        Assert.Equal(RemediationAction.RebootNode, run.Ladder[0]);
        Assert.Contains(node, run.Nodes);
        Assert.Equal(RemediationStep.Returned, run.Step);
        Assert.False(twin.State.NodeCordoned[twin.State.NodeIndex(new Kernel.Ids.NodeId(node))]);
        Assert.True(health.Mttr.Count == 1 && health.Mttr.P95 < TimeSpan.FromMinutes(45).TotalSeconds);
    }

    [Fact]
    public void An_ecc_double_bit_storm_on_one_gpu_is_one_remediation_of_that_gpu_and_nothing_else()
    {
        var (twin, loop) = ScenarioFleet.Start();
        int gpu = BusyGpu(twin, minGpus: 1);
        string gpuId = twin.Topology.Gpus[gpu].Id.Value;
        string node = twin.Topology.Gpus[gpu].Node.Value;

        twin.Inject(new FaultRequest(FaultKind.EccDbeStorm, gpuId));
        loop.RunFor(TimeSpan.FromMinutes(30), CancellationToken.None);

        var health = loop.Summarize();
        Assert.Equal(1, health.FaultsDetected);
        Assert.InRange(health.Mttd.P95, 0, 30);
        Assert.InRange(health.Mttm.P95, 0, 180);
        Assert.All(Findings(loop), f => Assert.Equal(node, f.Node));
        Assert.Contains(Findings(loop), f => f.Code == "ECC-DBE" && f.Component.Id == gpuId);
        var acted = Runs(loop).Where(r => r.Step != RemediationStep.Refused).ToList();
        var run = Assert.Single(acted);
        Assert.True(run.Gpus.Contains(gpuId) || run.Nodes.Contains(node));
        Assert.Equal(0, health.ActionsFalsePositive);
    }

    [Fact]
    public void Two_gpus_of_one_node_failing_in_turn_are_one_reboot_of_the_node_that_repairs_both()
    {
        var (twin, loop) = ScenarioFleet.Start();
        int first = twin.Topology.GpuOffsets[5];
        var node = twin.Topology.Gpus[first].Node;

        twin.Inject(new FaultRequest(FaultKind.Xid, twin.Topology.Gpus[first].Id.Value, Xid: 95));
        loop.RunFor(TimeSpan.FromSeconds(10), CancellationToken.None);
        twin.Inject(new FaultRequest(FaultKind.Xid, twin.Topology.Gpus[first + 3].Id.Value, Xid: 95));
        loop.RunFor(TimeSpan.FromMinutes(45), CancellationToken.None);

        var run = Assert.Single(Runs(loop));
        Assert.Equal(new ComponentRef(ComponentKind.Node, node.Value), run.Target);
        Assert.Contains(run.History, e => e.What == "widened");
        Assert.Equal(RemediationStep.Returned, run.Step);
        var health = loop.Summarize();
        Assert.Equal(2, health.Mttr.Count);
        Assert.Equal(0, health.ActionsFalsePositive);
        Assert.All(twin.GroundTruth, f => Assert.False(f.IsActive));
    }

    [Fact]
    public void A_leaf_switch_failure_under_32_nodes_is_blamed_on_the_switch_and_no_node_is_drained()
    {
        var (twin, loop) = ScenarioFleet.Start();
        var leaf = twin.Topology.Switches.First(s => s.Tier == SwitchTier.Leaf);
        int under = twin.Topology.NodesUnderSwitch(leaf.Id).Count;
        Assert.Equal(32, under);

        twin.Inject(new FaultRequest(FaultKind.SwitchDown, leaf.Id.Value));
        loop.RunFor(TimeSpan.FromMinutes(10), CancellationToken.None);

        var diagnoses = Diagnoses(loop);
        var blamed = Assert.Single(diagnoses, d => d.Suspect.Kind == ComponentKind.Switch);
        Assert.Equal(leaf.Id.Value, blamed.Suspect.Id);
        Assert.DoesNotContain(diagnoses, d => d.Suspect.Kind is ComponentKind.Node or ComponentKind.Port);
        Assert.DoesNotContain(true, twin.State.NodeCordoned);
        var run = Assert.Single(Runs(loop));
        Assert.Empty(run.Nodes);
        Assert.Equal(RemediationAction.RepairFabric, run.Action);

        loop.RunFor(TimeSpan.FromMinutes(60), CancellationToken.None);
        var health = loop.Summarize();
        Assert.Equal(1, health.FaultsDetected);
        Assert.Equal(1, health.Mttr.Count);
        Assert.Equal(0, health.SafetyBudgetExceeded);
        Assert.Equal(0, health.ActionsFalsePositive);
    }

    [Fact]
    public void A_bad_pdu_is_blamed_on_the_pdu_and_its_nodes_are_not_rebooted_one_by_one()
    {
        var (twin, loop) = ScenarioFleet.Start();
        var pdu = twin.State.Pdus[3];
        int fed = twin.Topology.NodesOnPdu(pdu).Length;
        Assert.Equal(4, fed);

        twin.Inject(new FaultRequest(FaultKind.PduDown, pdu.Value));
        loop.RunFor(TimeSpan.FromMinutes(10), CancellationToken.None);

        var diagnoses = Diagnoses(loop);
        var blamed = Assert.Single(diagnoses, d => d.Suspect.Kind == ComponentKind.Pdu);
        Assert.Equal(pdu.Value, blamed.Suspect.Id);
        Assert.DoesNotContain(diagnoses, d => d.Suspect.Kind == ComponentKind.Node);
        Assert.DoesNotContain(Runs(loop), r => r.Ladder.Contains(RemediationAction.RebootNode));

        loop.RunFor(TimeSpan.FromMinutes(60), CancellationToken.None);
        var health = loop.Summarize();
        Assert.Equal(1, health.FaultsDetected);
        Assert.Equal(1, health.Mttr.Count);
        Assert.All(twin.Topology.NodesOnPdu(pdu).ToArray(), n => Assert.True(twin.State.NodeAlive[n]));
    }

    [Fact]
    public void A_straggler_in_a_64_gpu_gang_is_found_on_that_gpu_alone_and_fenced()
    {
        var (twin, loop) = ScenarioFleet.Start(load: false);
        var gang = Enumerable.Range(0, 64).ToArray();
        foreach (int g in gang)
        {
            twin.Workload.Assign(g, 0.9f);
            twin.Workload.Tag(g, 4242);
        }

        loop.RunFor(TimeSpan.FromMinutes(2), CancellationToken.None);
        string slow = twin.Topology.Gpus[gang[13]].Id.Value;
        twin.Inject(new FaultRequest(FaultKind.Straggler, slow, Duration: TimeSpan.FromHours(2)));
        loop.RunFor(TimeSpan.FromMinutes(5), CancellationToken.None);

        var stragglers = Findings(loop).Where(f => f.Code == "STRAGGLER").ToList();
        var finding = Assert.Single(stragglers);
        Assert.Equal(slow, finding.Component.Id);
        Assert.Contains(Diagnoses(loop), d => d.Suspect == new ComponentRef(ComponentKind.Gpu, slow) && d.Remedy == RemedyHint.Drain);
        Assert.Contains(Runs(loop), r => r.Gpus.Contains(slow) && r.History.Any(h => h.Step == RemediationStep.Cordon));
        Assert.DoesNotContain(Runs(loop), r => r.Gpus.Any(g => g != slow));
        Assert.DoesNotContain(true, twin.State.NodeCordoned);
        Assert.Equal(1, loop.Summarize().FaultsDetected);
    }

    [Fact]
    public void An_application_xid_13_on_several_gpus_of_one_job_is_blamed_on_the_job_with_no_hardware_action()
    {
        var (twin, loop) = ScenarioFleet.Start();
        int gpu = BusyGpu(twin, minGpus: 4);
        int gpus = twin.Synthetic.JobOf(gpu)!.Gpus.Length;

        twin.Inject(new FaultRequest(FaultKind.Xid, twin.Topology.Gpus[gpu].Id.Value, Xid: 13, Cause: FaultCause.SoftwareBug));
        loop.RunFor(TimeSpan.FromMinutes(5), CancellationToken.None);

        Assert.Equal(gpus, Findings(loop).Count(f => f.Code == "XID-13"));
        var blamed = Assert.Single(Diagnoses(loop));
        Assert.Equal(ComponentKind.Job, blamed.Suspect.Kind);
        Assert.False(blamed.Fatal);
        Assert.DoesNotContain(Runs(loop), r => r.Step != RemediationStep.Refused);
        Assert.DoesNotContain(true, twin.State.GpuCordoned);
        Assert.DoesNotContain(true, twin.State.NodeCordoned);
        Assert.Equal(0, loop.Summarize().ActionsTotal);
    }

    [Fact]
    public void A_fleet_wide_spike_trips_the_breaker_pages_a_person_and_stops_new_automatic_actions()
    {
        var settings = new SelfHealingSettings { Policy = new RemediationPolicy { BreakerMaxNodes = 10 } };
        var (twin, loop) = ScenarioFleet.Start(settings);
        var offsets = twin.Topology.GpuOffsets;
        for (int n = 0; n < 24; n++)
        {
            twin.Inject(new FaultRequest(FaultKind.Xid, twin.Topology.Gpus[offsets[n]].Id.Value, Xid: 79));
        }

        loop.RunFor(TimeSpan.FromMinutes(5), CancellationToken.None);

        Assert.NotEmpty(loop.Engine.OpenBreakers);
        Assert.Contains(loop.Pager.Pages, p => p.Severity == Severity.Critical);
        var runs = Runs(loop);
        Assert.Contains(runs, r => r.Step == RemediationStep.Refused);
        Assert.True(runs.Count(r => r.Step != RemediationStep.Refused) <= 10);
        var health = loop.Summarize();
        Assert.Equal(0, health.SafetyBudgetExceeded);
        Assert.Equal(24, health.FaultsDetected);
    }

    [Fact]
    public void A_day_of_random_faults_on_a_small_fleet_misses_no_fatal_fault_and_never_exceeds_the_budget()
    {
        var options = ScenarioFleet.Options() with { RandomFaults = true, FaultRateMultiplier = 400 };
        var summary = NeoCloud.Simulator.Simulation.FleetSimulation.RunSelfHealing(ScenarioFleet.Fleet, 11, TimeSpan.FromHours(12), options, null, null, CancellationToken.None);
        var health = Assert.IsType<HealthSummary>(summary.Health);

        Assert.True(health.FaultsInjected >= 20, $"only {health.FaultsInjected} faults");
        Assert.Equal(0, health.MissedFatal);
        Assert.Equal(0, health.SafetyBudgetExceeded);
        Assert.True(health.ActionsFalsePositive <= health.ActionsTotal / 100, $"{health.ActionsFalsePositive} of {health.ActionsTotal} actions had no fault behind them");
        Assert.True(health.GpuHoursLost >= 0);
    }

    private static int BusyGpu(FleetTwin twin, int minGpus)
    {
        for (int g = 0; g < twin.Topology.GpuCount; g++)
        {
            if (twin.Synthetic.JobOf(g) is { } job && job.Gpus.Length >= minGpus && job.NodeCount == 1)
            {
                return g;
            }
        }

        throw new InvalidOperationException($"No single-node job of {minGpus}+ GPUs is running.");
    }

    private static List<Finding> Findings(SelfHealingLoop loop) =>
        [.. loop.Store.ListFindingsAsync(new FindingQuery(Limit: 1000), CancellationToken.None).GetAwaiter().GetResult().Items];

    private static List<Diagnosis> Diagnoses(SelfHealingLoop loop) =>
        [.. loop.Store.ListDiagnosesAsync(null, 1000, null, CancellationToken.None).GetAwaiter().GetResult().Items];

    private static List<RemediationRun> Runs(SelfHealingLoop loop) =>
        [.. loop.Store.ListRunsAsync(new RunQuery(Limit: 1000), CancellationToken.None).GetAwaiter().GetResult().Items];
}

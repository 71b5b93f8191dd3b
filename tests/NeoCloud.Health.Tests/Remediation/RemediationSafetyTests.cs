using FsCheck;
using FsCheck.Xunit;
using NeoCloud.Fleet.Actuation;
using NeoCloud.Health.Catalog;
using NeoCloud.Health.Correlation;
using NeoCloud.Health.Findings;
using NeoCloud.Health.Remediation;
using NeoCloud.Kernel.Audit;
using NeoCloud.Kernel.Ids;

namespace NeoCloud.Health.Tests.Remediation;

public sealed class RemediationSafetyTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task Ten_gpu_faults_in_one_rack_hold_at_most_the_domain_limit_at_once_and_all_finish()
    {
        var rig = new RemediationRig(new RemediationPolicy { MaxClusterFraction = 0.5, MaxDomainNodes = 2, Cooldown = TimeSpan.FromMinutes(5) });
        var rack = RemediationFleet.Rack(1);
        var gpus = rack.Select(n => RemediationFleet.Gpu(n, 0)).Concat([RemediationFleet.Gpu(rack[0], 5), RemediationFleet.Gpu(rack[1], 5)]).ToList();
        var runs = new List<RemediationRun>();
        foreach (var gpu in gpus)
        {
            runs.Add(await rig.ProposeAsync(rig.GpuFault(gpu, RemedyHint.ResetGpu)));
        }

        Assert.Equal(10, runs.Select(r => r.Id).Distinct().Count());

        // Two nodes are admitted; the second GPU of each of them rides on its node, already counted; six wait.
        Assert.Equal(6, runs.Count(r => r.Step == RemediationStep.Queued));
        int maxHeld = 0;
        int maxQueued = 0;
        for (int round = 0; round < 400 && rig.Store.AllRuns().Any(r => !r.IsFinished); round++)
        {
            await rig.AdvanceAsync();
            var all = rig.Store.AllRuns();
            maxHeld = Math.Max(maxHeld, all.Where(r => r.HoldsCapacity).SelectMany(r => r.Nodes).Distinct().Count());
            maxQueued = Math.Max(maxQueued, all.Count(r => r.Step == RemediationStep.Queued));
            foreach (var request in rig.Actuator.Pending.ToList())
            {
                rig.Actuator.Complete(request.Action, succeeded: true);
            }

            rig.Clock.Advance(TimeSpan.FromSeconds(40));
        }

        Assert.Equal(2, maxHeld);
        Assert.True(maxQueued >= 5, $"at most {maxQueued} runs waited");
        Assert.All(rig.Store.AllRuns(), r => Assert.Equal(RemediationStep.Returned, r.Step));
        Assert.Equal(0, rig.Engine.BudgetExceededCount);
        Assert.Contains(rig.Audit.Entries, e => e.Reason.StartsWith("deferred: safety budget: rack:", StringComparison.Ordinal));
        Assert.All(
            rig.Store.AllRuns(),
            r => Assert.True(r.History.Count(e => e.What == "deferred: safety budget") <= 2, $"{r.Id} noted the budget {r.History.Count(e => e.What == "deferred: safety budget")} times"));
    }

    [Fact]
    public async Task A_spike_of_fatal_faults_trips_the_fleet_breaker_pages_once_and_refuses_new_runs_until_a_person_resets_it()
    {
        var rig = new RemediationRig(new RemediationPolicy { MaxClusterFraction = 0.5, BreakerMaxNodes = 5 });

        // Three nodes in each region: neither region passes 5, the fleet does at the sixth.
        var nodes = RemediationFleet.Rack(0).Take(2).Concat(RemediationFleet.Rack(2).Take(1)).Concat(RemediationFleet.Rack(4).Take(2)).Concat(RemediationFleet.Rack(5).Take(1)).ToList();
        var runs = new List<RemediationRun>();
        foreach (var node in nodes)
        {
            runs.Add(await rig.ProposeAsync(rig.GpuFault(RemediationFleet.Gpu(node, 0), RemedyHint.ResetGpu)));
        }

        Assert.Equal([RemediationEngine.FleetScope], rig.Engine.OpenBreakers);
        var page = Assert.Single(rig.Pager.Pages);
        Assert.Equal(Severity.Critical, page.Severity);
        Assert.Contains("6 node(s)", page.Summary, StringComparison.Ordinal);
        Assert.All(runs.Take(5), r => Assert.Equal(RemediationStep.Cordon, r.Step));
        Assert.Equal(RemediationStep.Refused, runs[5].Step);
        Assert.Contains(rig.Audit.Entries, e => e.Action == "remediation.breaker-trip" && e.Target == "fleet");

        var later = await rig.ProposeAsync(rig.GpuFault(RemediationFleet.Gpu(RemediationFleet.Rack(3)[0], 0), RemedyHint.ResetGpu, fatal: false));
        Assert.Equal(RemediationStep.Refused, later.Step);
        Assert.StartsWith("breaker open: a person decides", later.Reason, StringComparison.Ordinal);
        Assert.Single(rig.Pager.Pages);

        await rig.AdvanceAsync();
        Assert.All(runs.Take(5), r => Assert.Equal(RemediationStep.Act, rig.Store.AllRuns().Single(x => x.Id == r.Id).Step));

        await rig.Engine.ResetBreakerAsync(RemediationEngine.FleetScope, Actor.Person("dana"), None);
        Assert.Empty(rig.Engine.OpenBreakers);
        Assert.Contains(rig.Audit.Entries, e => e.Action == "remediation.breaker-reset" && e.Actor == Actor.Person("dana"));
        var afterReset = await rig.ProposeAsync(rig.GpuFault(RemediationFleet.Gpu(RemediationFleet.Rack(3)[1], 0), RemedyHint.ResetGpu));
        Assert.Equal(RemediationStep.Cordon, afterReset.Step);
        await Assert.ThrowsAsync<ArgumentException>(() => rig.Engine.ResetBreakerAsync("region:mars", Actor.Person("dana"), None));
    }

    [Fact]
    public async Task A_restarted_engine_reopens_a_breaker_tripped_within_the_window_from_the_stored_diagnoses()
    {
        var rig = new RemediationRig(new RemediationPolicy { MaxClusterFraction = 0.5, BreakerMaxNodes = 3 });
        foreach (var node in RemediationFleet.Rack(0).Take(2).Concat(RemediationFleet.Rack(4).Take(2)))
        {
            var diagnosis = rig.GpuFault(RemediationFleet.Gpu(node, 0), RemedyHint.ResetGpu);
            await rig.Store.AppendDiagnosisAsync(diagnosis, None);
            await rig.ProposeAsync(diagnosis);
        }

        Assert.Equal([RemediationEngine.FleetScope], rig.Engine.OpenBreakers);
        rig.Clock.Advance(TimeSpan.FromMinutes(1));
        rig.NewEngine();
        await rig.AdvanceAsync();
        Assert.Equal([RemediationEngine.FleetScope], rig.Engine.OpenBreakers);
        Assert.Equal(2, rig.Pager.Pages.Count);

        rig.Clock.Advance(TimeSpan.FromMinutes(5));
        rig.NewEngine();
        await rig.AdvanceAsync();
        Assert.Empty(rig.Engine.OpenBreakers);
    }

    [Fact]
    public async Task A_region_breaker_stops_only_its_region()
    {
        var rig = new RemediationRig(new RemediationPolicy { MaxClusterFraction = 0.5, BreakerFraction = 0.15 });

        // use1 has 16 nodes: three fatal nodes are above 15% of it, and far below 15% of the 48-node fleet's 7.2.
        foreach (var node in RemediationFleet.Rack(4).Take(3))
        {
            await rig.ProposeAsync(rig.GpuFault(RemediationFleet.Gpu(node, 0), RemedyHint.ResetGpu));
        }

        Assert.Equal(["region:use1"], rig.Engine.OpenBreakers);
        var use1 = await rig.ProposeAsync(rig.GpuFault(RemediationFleet.Gpu(RemediationFleet.Rack(5)[0], 0), RemedyHint.ResetGpu, fatal: false));
        var euw1 = await rig.ProposeAsync(rig.GpuFault(RemediationFleet.Gpu(RemediationFleet.Rack(0)[0], 0), RemedyHint.ResetGpu, fatal: false));
        Assert.Equal(RemediationStep.Refused, use1.Step);
        Assert.Equal(RemediationStep.Cordon, euw1.Step);
    }

    [Fact]
    public async Task A_node_just_returned_to_service_waits_out_its_cooldown_before_the_next_run()
    {
        var rig = new RemediationRig(new RemediationPolicy { MaxClusterFraction = 0.5, Cooldown = TimeSpan.FromMinutes(30) });
        var node = RemediationFleet.Rack(2)[2];
        await ReturnAsync(rig, rig.GpuFault(RemediationFleet.Gpu(node, 0), RemedyHint.ResetGpu));

        var next = await rig.ProposeAsync(rig.GpuFault(RemediationFleet.Gpu(node, 4), RemedyHint.ResetGpu));
        Assert.Equal(RemediationStep.Queued, next.Step);
        Assert.Equal("deferred: cooldown", next.History[^1].What);

        rig.Clock.Advance(TimeSpan.FromMinutes(29));
        await rig.AdvanceAsync();
        Assert.Equal(RemediationStep.Queued, (await rig.RunAsync(next.Id)).Step);

        rig.Clock.Advance(TimeSpan.FromMinutes(1));
        await rig.AdvanceAsync();
        Assert.Equal(RemediationStep.Act, (await rig.RunAsync(next.Id)).Step);
        Assert.Single((await rig.RunAsync(next.Id)).History, e => e.What == "deferred: cooldown");
    }

    [Fact]
    public async Task A_repeat_offender_goes_straight_to_rma_instead_of_another_reset()
    {
        var rig = new RemediationRig(new RemediationPolicy { MaxClusterFraction = 0.5, Cooldown = TimeSpan.Zero, RepeatOffenderCount = 3 });
        var node = RemediationFleet.Rack(3)[6];
        string gpu = RemediationFleet.Gpu(node, 2);
        for (int i = 0; i < 3; i++)
        {
            await ReturnAsync(rig, rig.GpuFault(gpu, RemedyHint.ResetGpu));
            rig.Clock.Advance(TimeSpan.FromHours(1));
        }

        var run = await rig.ProposeAsync(rig.GpuFault(gpu, RemedyHint.ResetGpu));
        Assert.Equal([RemediationAction.Replace], run.Ladder);
        Assert.Contains("repeat offender", run.Reason, StringComparison.Ordinal);
        Assert.Contains(rig.Audit.Entries, e => e.Reason.Contains("had 3 remediations within 7 days", StringComparison.Ordinal));

        await rig.AdvanceAsync();
        Assert.Equal(RemediationStep.Rma, (await rig.RunAsync(run.Id)).Step);
        Assert.Equal((HardwareAction.ReplaceGpu, gpu), (rig.Actuator.Calls[^1].Request.Action, rig.Actuator.Calls[^1].Request.Target));
    }

    [Property(MaxTest = 25)]
    public async Task Whatever_is_diagnosed_and_however_actions_end_the_safety_budget_is_never_exceeded(int seed, byte domainLimit, byte clusterLimit)
    {
        var random = new Random(seed);
        var policy = new RemediationPolicy
        {
            MaxDomainNodes = 1 + (domainLimit % 3),
            MaxClusterNodes = 1 + (clusterLimit % 6),
            MaxClusterFraction = 0.5,
            Cooldown = TimeSpan.FromMinutes(random.Next(0, 10)),
            DrainMode = (DrainMode)random.Next(3),
            DrainTimeout = TimeSpan.FromMinutes(3),
            ActionTimeout = TimeSpan.FromMinutes(15),
            BreakerMaxNodes = 1000,
        };
        var rig = new RemediationRig(policy);
        var nodes = rig.Topology.Nodes;
        RemedyHint[] remedies = [RemedyHint.ResetGpu, RemedyHint.RebootNode, RemedyHint.Diagnose, RemedyHint.Replace, RemedyHint.Drain];
        var limits = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int round = 0; round < 120; round++)
        {
            if (random.NextDouble() < 0.4)
            {
                // Faults cluster in a few racks, so the domain limits are what binds.
                var node = nodes[random.Next(3) * 8 + random.Next(8)];
                var remedy = remedies[random.Next(remedies.Length)];
                var diagnosis = random.NextDouble() < 0.7
                    ? rig.GpuFault(RemediationFleet.Gpu(node, random.Next(8)), remedy)
                    : rig.NodeFault(node.Id.Value, remedy == RemedyHint.ResetGpu ? RemedyHint.RebootNode : remedy);
                rig.Workloads.Place(round + 1, $"{node.Id.Value}/gpu{random.Next(8)}");
                await rig.Engine.ProposeAsync(diagnosis, None);
            }

            await rig.AdvanceAsync();
            foreach (var request in rig.Actuator.Pending.ToList())
            {
                if (random.NextDouble() < 0.6)
                {
                    rig.Actuator.Complete(request.Action, succeeded: random.NextDouble() < 0.6);
                }
            }

            rig.Clock.Advance(TimeSpan.FromSeconds(random.Next(5, 90)));

            var held = rig.Store.AllRuns().Where(r => r.HoldsCapacity).SelectMany(r => r.Nodes).Distinct().Select(n => rig.Topology.GetNode(new NodeId(n))).ToList();
            foreach (var perRack in held.GroupBy(n => n.Rack))
            {
                Assert.True(perRack.Count() <= policy.MaxDomainNodes, $"round {round}: rack {perRack.Key} holds {perRack.Count()} nodes");
            }

            foreach (var perSite in held.GroupBy(n => n.Site))
            {
                Assert.True(perSite.Count() <= policy.MaxClusterNodes, $"round {round}: site {perSite.Key} holds {perSite.Count()} nodes");
            }
        }

        Assert.Equal(0, rig.Engine.BudgetExceededCount);
    }

    private static async Task ReturnAsync(RemediationRig rig, Diagnosis diagnosis)
    {
        var run = await rig.ProposeAsync(diagnosis);
        await rig.AdvanceAsync();
        rig.Actuator.Complete(HardwareAction.ResetGpu, succeeded: true);
        await rig.AdvanceAsync();
        rig.Actuator.Complete(HardwareAction.RunDiagnostics, succeeded: true);
        await rig.AdvanceAsync();
        Assert.Equal(RemediationStep.Returned, (await rig.RunAsync(run.Id)).Step);
    }
}

using FsCheck.Xunit;
using NeoCloud.Simulator.Faults;
using NeoCloud.Simulator.Twin;

namespace NeoCloud.Simulator.Tests.Workload;

public sealed class AllocationInvariantTests
{
    [Property(MaxTest = 15)]
    public void No_gpu_is_held_by_two_jobs_and_the_free_counts_match_the_owners(int seed)
    {
        var twin = new FleetTwin(TestFleets.Small, seed, new SimulationOptions { FaultRateMultiplier = 2_000 });
        twin.Step(TimeSpan.FromHours(2));

        var state = twin.State;
        var seen = new HashSet<int>();
        foreach (var job in twin.Synthetic.RunningJobs)
        {
            Assert.False(job.Done);
            foreach (int g in job.Gpus)
            {
                Assert.True(seen.Add(g), $"GPU {g} is in two jobs");
                Assert.Equal(job.Id, state.Owner[g]);
            }
        }

        Assert.Equal(seen.Count, state.Owner.Count(o => o >= 0));
        Assert.Equal(state.AllocatedGpus, state.Owner.Count(o => o != TwinState.Free));
        for (int n = 0; n < twin.Topology.Nodes.Count; n++)
        {
            int free = 0;
            for (int g = twin.Topology.GpuOffsets[n]; g < twin.Topology.GpuOffsets[n + 1]; g++)
            {
                free += state.Owner[g] == TwinState.Free && state.CanRun(g) ? 1 : 0;
                Assert.False(state.Owner[g] >= 0 && !state.CanRun(g), $"GPU {g} runs a job although it cannot run work");
            }

            Assert.Equal(free, state.FreeOnNode[n]);
        }

        Assert.All(twin.GroundTruth, f => Assert.True(f.ClearedAt is null || f.ClearedAt >= f.OnsetAt));
        Assert.Contains(twin.GroundTruth, f => f.Kind != FaultKind.Straggler);
    }
}

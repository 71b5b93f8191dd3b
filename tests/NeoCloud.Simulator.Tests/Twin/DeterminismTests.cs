using NeoCloud.Fleet.Spec;
using NeoCloud.Simulator.Scripting;
using NeoCloud.Simulator.Simulation;
using NeoCloud.Simulator.Twin;

namespace NeoCloud.Simulator.Tests.Twin;

public sealed class DeterminismTests
{
    private const string Script = """
        apiVersion: neocloud.dev/v1
        kind: FaultScript
        metadata: { name: determinism }
        spec:
          faults:
            - { at: 10m, target: euw1-dc1-r01-n01/gpu5, fault: xid, xid: 79 }
            - { at: 20m, target: euw1-dc1-su1-l01-r0, fault: switch-down, duration: 30m }
            - { at: 40m, target: euw1-dc1-r03-n02/gpu1, fault: ecc-dbe-storm }
        """;

    private static SimulationOptions Busy { get; } = new() { FaultRateMultiplier = 200 };

    [Fact]
    public void Two_runs_with_the_same_seed_and_script_give_the_same_summary_and_state_hash()
    {
        var script = FaultScriptReader.Parse(Script);
        var a = FleetSimulation.Run(TestFleets.Small, 7, TimeSpan.FromHours(3), Busy, script, CancellationToken.None);
        var b = FleetSimulation.Run(TestFleets.Small, 7, TimeSpan.FromHours(3), Busy, script, CancellationToken.None);

        Assert.Equal(a.StateHash, b.StateHash);
        Assert.Equal(a.FaultsByCause, b.FaultsByCause);
        Assert.Equal(a with { WallSeconds = 0, VirtualHoursPerWallSecond = 0, PeakWorkingSetMb = 0, FaultsByCause = b.FaultsByCause },
            b with { WallSeconds = 0, VirtualHoursPerWallSecond = 0, PeakWorkingSetMb = 0 });
        Assert.True(a.FaultsInjected > 3, "the raised fault rate should add random faults to the scripted ones");
    }

    [Fact]
    public void A_different_seed_gives_a_different_run()
    {
        var a = FleetSimulation.Run(TestFleets.Small, 1, TimeSpan.FromHours(1), Busy, CancellationToken.None);
        var b = FleetSimulation.Run(TestFleets.Small, 2, TimeSpan.FromHours(1), Busy, CancellationToken.None);

        Assert.NotEqual(a.StateHash, b.StateHash);
    }

    [Fact]
    public void The_result_does_not_depend_on_how_many_threads_update_the_gpus()
    {
        // Over 8,192 GPUs, so the per-GPU update is split into several chunks.
        var topology = FleetGenerator.Generate(DefaultFleet.ScaledTo(1_300));
        Assert.True(topology.GpuCount > 8_192);

        var serial = FleetSimulation.Run(topology, 5, TimeSpan.FromMinutes(30), new SimulationOptions { MaxDegreeOfParallelism = 1, FaultRateMultiplier = 50 }, CancellationToken.None);
        var parallel = FleetSimulation.Run(topology, 5, TimeSpan.FromMinutes(30), new SimulationOptions { MaxDegreeOfParallelism = 4, FaultRateMultiplier = 50 }, CancellationToken.None);

        Assert.Equal(serial.StateHash, parallel.StateHash);
    }
}

using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using NeoCloud.Fleet.Spec;
using NeoCloud.Fleet.Topology;
using NeoCloud.Simulator.Simulation;
using NeoCloud.Simulator.Twin;

namespace NeoCloud.Benchmarks.Simulator;

/// <summary>The acceptance run: ten thousand nodes of the default fleet's shape for 24 virtual hours, once (it takes seconds).</summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 0, iterationCount: 1)]
[MemoryDiagnoser]
public class FleetDayBenchmarks
{
    private FleetTopology _topology = null!;

    [GlobalSetup]
    public void Setup() => _topology = FleetGenerator.Generate(DefaultFleet.ScaledTo(10_000));

    [Benchmark]
    public string TenThousandNodesForTwentyFourHours() =>
        FleetSimulation.Run(_topology, 42, TimeSpan.FromHours(24), new SimulationOptions(), CancellationToken.None).StateHash;
}

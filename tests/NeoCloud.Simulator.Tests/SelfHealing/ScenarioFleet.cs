using NeoCloud.Fleet.Spec;
using NeoCloud.Fleet.Topology;
using NeoCloud.Simulator.SelfHealing;
using NeoCloud.Simulator.Twin;

namespace NeoCloud.Simulator.Tests.SelfHealing;

/// <summary>A 64-node, 512-GPU fleet for the self-healing scenarios: two pods of 32 nodes, each pod one leaf group, four nodes per rack on one PDU.</summary>
internal static class ScenarioFleet
{
    private const string Yaml = """
        apiVersion: neocloud.dev/v1
        kind: Fleet
        metadata:
          name: scenarios
        spec:
          regions:
            - name: euw1
              sites:
                - name: dc1
                  pods: 2
                  racksPerPod: 8
                  nodesPerRack: 4
                  pdusPerRack: 1
                  skuMix: [ { sku: h100-sxm5-80gb, percent: 100 } ]
                  fabric: { kind: infiniband, rails: 8, nodesPerLeafGroup: 32, spinesPerPod: 4, linkSpeedGbps: 400 }
        """;

    private static readonly Lazy<FleetTopology> Topology = new(() => FleetGenerator.Generate(FleetSpecReader.Parse(Yaml)));

    public static FleetTopology Fleet => Topology.Value;

    /// <summary>Random faults off; placement sees only what health fences; interrupted work restarts; 10 s scrapes.</summary>
    public static SimulationOptions Options(bool load = true) => new()
    {
        RandomFaults = false,
        SyntheticLoad = load,
        PlacementSeesFaults = false,
        RestartInterruptedWork = true,
        Tick = TimeSpan.FromSeconds(10),
        MaxDegreeOfParallelism = 1,
    };

    /// <summary>A loaded twin with its health loop, warmed up for two virtual minutes.</summary>
    public static (FleetTwin Twin, SelfHealingLoop Loop) Start(SelfHealingSettings? settings = null, bool load = true, int seed = 7)
    {
        var twin = new FleetTwin(Fleet, seed, Options(load));
        var loop = new SelfHealingLoop(twin, settings);
        loop.RunFor(TimeSpan.FromMinutes(2), CancellationToken.None);
        return (twin, loop);
    }
}

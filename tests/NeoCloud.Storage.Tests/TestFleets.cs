using NeoCloud.Fleet.Spec;
using NeoCloud.Fleet.Topology;

namespace NeoCloud.Storage.Tests;

/// <summary>Fleets the suites import: a small two-site one for behaviour, the default one where volume matters.</summary>
public static class TestFleets
{
    private const string SmallYaml = """
        apiVersion: neocloud.dev/v1
        kind: Fleet
        metadata:
          name: small
        spec:
          regions:
            - name: tst1
              displayName: Test 1
              sites:
                - name: dc1
                  pods: 1
                  racksPerPod: 3
                  nodesPerRack: 4
                  skuMix:
                    - { sku: h100-sxm5-80gb, percent: 100 }
                  fabric: { kind: infiniband, rails: 8, nodesPerLeafGroup: 8, spinesPerPod: 2, linkSpeedGbps: 400 }
                - name: dc2
                  ownership: leased
                  operator: Equinix
                  oem: Dell
                  pods: 1
                  racksPerPod: 2
                  nodesPerRack: 4
                  skuMix:
                    - { sku: l40s-48gb, percent: 100 }
                  fabric: { kind: roce, rails: 4, nodesPerLeafGroup: 8, spinesPerPod: 2, linkSpeedGbps: 200 }
        """;

    private static readonly Lazy<FleetTopology> SmallFleet = new(() => FleetGenerator.Generate(FleetSpecReader.Parse(SmallYaml)));
    private static readonly Lazy<FleetTopology> DefaultFleetTopology = new(() => FleetGenerator.Generate(DefaultFleet.Spec));

    /// <summary>20 nodes in two sites of one region, two SKUs.</summary>
    public static FleetTopology Small => SmallFleet.Value;

    /// <summary>The default fleet: 936 nodes, about 7.4k GPUs.</summary>
    public static FleetTopology Default => DefaultFleetTopology.Value;

    /// <summary>
    /// The default fleet with its last GPU given the id of the first: an import fails on it only after thousands of rows
    /// of every table have been written.
    /// </summary>
    public static FleetTopology DefaultWithDuplicateLastGpu()
    {
        var t = Default;
        var gpus = t.Gpus.ToList();
        gpus[^1] = gpus[^1] with { Id = gpus[0].Id };
        return new FleetTopology(t.Name, t.Regions, t.Sites, t.Pods, t.Racks, t.Nodes, gpus, t.Switches, t.Links);
    }
}

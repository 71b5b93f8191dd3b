using NeoCloud.Fleet.Spec;
using NeoCloud.Fleet.Topology;

namespace NeoCloud.Server.Tests.Fakes;

/// <summary>A 20-node fleet: one region, two sites (12 H100 nodes in three racks, 8 L40S nodes in two).</summary>
public static class TestFleet
{
    public const string Yaml = """
        apiVersion: neocloud.dev/v1
        kind: Fleet
        metadata:
          name: test
        spec:
          regions:
            - name: euw1
              displayName: Europe West 1
              sites:
                - name: dc1
                  pods: 1
                  racksPerPod: 3
                  nodesPerRack: 4
                  skuMix:
                    - { sku: h100-sxm5-80gb, percent: 100 }
                - name: dc2
                  ownership: leased
                  pods: 1
                  racksPerPod: 2
                  nodesPerRack: 4
                  skuMix:
                    - { sku: l40s-48gb, percent: 100 }
                  fabric: { kind: roce, rails: 4 }
        """;

    public const int NodeCount = 20;

    public static FleetTopology Generate() => FleetGenerator.Generate(FleetSpecReader.Parse(Yaml));
}

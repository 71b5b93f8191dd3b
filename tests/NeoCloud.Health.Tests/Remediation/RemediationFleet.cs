using NeoCloud.Fleet.Spec;
using NeoCloud.Fleet.Topology;

namespace NeoCloud.Health.Tests.Remediation;

/// <summary>
/// A 48-node fleet for the remediation tests: region euw1 (one site, 4 racks of 8 H100 nodes, one PDU per rack, leaf
/// groups of 16) and region use1 (one site, 2 racks of 8).
/// </summary>
internal static class RemediationFleet
{
    private const string Yaml = """
        apiVersion: neocloud.dev/v1
        kind: Fleet
        metadata:
          name: remediation-test
        spec:
          regions:
            - name: euw1
              displayName: Europe West 1
              sites:
                - name: dc1
                  pods: 1
                  racksPerPod: 4
                  nodesPerRack: 8
                  pdusPerRack: 1
                  skuMix:
                    - { sku: h100-sxm5-80gb, percent: 100 }
                  fabric: { kind: infiniband, rails: 8, nodesPerLeafGroup: 16, spinesPerPod: 2, linkSpeedGbps: 400 }
            - name: use1
              displayName: US East 1
              sites:
                - name: dc1
                  pods: 1
                  racksPerPod: 2
                  nodesPerRack: 8
                  pdusPerRack: 1
                  skuMix:
                    - { sku: h100-sxm5-80gb, percent: 100 }
                  fabric: { kind: infiniband, rails: 8, nodesPerLeafGroup: 16, spinesPerPod: 2, linkSpeedGbps: 400 }
        """;

    private static readonly Lazy<FleetTopology> Instance = new(() => FleetGenerator.Generate(FleetSpecReader.Parse(Yaml)));

    public static FleetTopology Topology => Instance.Value;

    /// <summary>The nodes of the <paramref name="index"/>-th rack (from 0), in slot order.</summary>
    public static IReadOnlyList<Node> Rack(int index)
    {
        var rack = Topology.Racks[index].Id;
        return [.. Topology.Nodes.Where(n => n.Rack == rack).OrderBy(n => n.Slot)];
    }

    public static string Gpu(Node node, int index) => Topology.Gpus.First(g => g.Node == node.Id && g.Index == index).Id.Value;
}

using NeoCloud.Fleet.Spec;
using NeoCloud.Fleet.Topology;
using NeoCloud.Health.Catalog;
using NeoCloud.Health.Correlation;
using NeoCloud.Health.Findings;
using NeoCloud.Health.Signals;

namespace NeoCloud.Health.Tests.Correlation;

/// <summary>Small fleets and finding builders for the diagnosis tests.</summary>
internal static class CorrelationFleet
{
    /// <summary>One pod of 16 racks × 4 nodes (64 H100 nodes, 8 GPUs and 8 rails each): two leaf groups of 32, one PDU per rack (4 nodes each).</summary>
    public static FleetTopology TwoLeafGroups { get; } = FleetGenerator.Generate(FleetSpecReader.Parse("""
        apiVersion: neocloud.dev/v1
        kind: Fleet
        metadata:
          name: correlation
        spec:
          regions:
            - name: euw1
              sites:
                - name: dc1
                  ownership: self-built
                  operator: NeoCloud
                  oem: Supermicro
                  pods: 1
                  racksPerPod: 16
                  nodesPerRack: 4
                  pdusPerRack: 1
                  skuMix:
                    - { sku: h100-sxm5-80gb, percent: 100 }
                  fabric: { kind: infiniband, rails: 8, nodesPerLeafGroup: 32, spinesPerPod: 4, linkSpeedGbps: 400 }
        """));

    /// <summary>The default fleet's shape at about a hundred nodes: two PDUs per rack of four, so two nodes per PDU.</summary>
    public static FleetTopology TwoPdusPerRack { get; } = FleetGenerator.Generate(DefaultFleet.ScaledTo(100));

    public static readonly DateTimeOffset T0 = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    private static int _next;

    public static string Node(int rack, int slot) => $"euw1-dc1-r{rack:00}-n{slot:00}";

    public static string Gpu(string node, int index) => $"{node}/gpu{index}";

    public static string Port(string node, int rail) => $"{node}/mlx5_{rail}";

    /// <summary>A finding as a detector would raise it: severity and fatality from the catalogue entry, the node filled in.</summary>
    public static Finding Found(string code, ComponentKind kind, string id, DateTimeOffset at, long work = 0)
    {
        var catalog = FaultCatalog.Default;
        var fault = catalog.TryGet(code, out var f) ? f
            : code.StartsWith("XID-", StringComparison.Ordinal) ? catalog.Xid(int.Parse(code.AsSpan(4), System.Globalization.CultureInfo.InvariantCulture))
            : new FaultCode(code, code, SignalSource.GpuSignal, kind, Severity.Critical, true, RemedyHint.Diagnose, null, "a rule the catalogue does not know");
        string? node = kind switch
        {
            ComponentKind.Node => id,
            ComponentKind.Gpu or ComponentKind.Port => id[..id.IndexOf('/', StringComparison.Ordinal)],
            _ => null,
        };
        int n = Interlocked.Increment(ref _next);
        return new Finding(
            $"fnd-{n:000000}", code, new ComponentRef(kind, id), fault.Severity, fault.Fatal, at, at, $"{code} on {id}",
            [new Evidence(at, id, code, 1)], work)
        {
            Node = node,
        };
    }

    public static Finding OnGpu(string code, string gpu, DateTimeOffset at, long work = 0) => Found(code, ComponentKind.Gpu, gpu, at, work);

    public static Finding OnPort(string code, string port, DateTimeOffset at) => Found(code, ComponentKind.Port, port, at);

    public static Finding Heartbeat(string node, DateTimeOffset at) => Found("HEARTBEAT-MISSING", ComponentKind.Node, node, at);

    /// <summary>Adds the findings and decides once at <paramref name="at"/>.</summary>
    public static List<Diagnosis> DecideAt(Diagnoser diagnoser, SignalFrame frame, DateTimeOffset at, params Finding[] findings)
    {
        foreach (var finding in findings)
        {
            diagnoser.Add(finding);
        }

        frame.Begin(at);
        var output = new List<Diagnosis>();
        diagnoser.Decide(frame, output);
        return output;
    }
}

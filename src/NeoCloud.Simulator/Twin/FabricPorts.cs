using NeoCloud.Fleet.Topology;

namespace NeoCloud.Simulator.Twin;

/// <summary>Every node NIC port (node × rail) with the InfiniBand counters NVSentinel watches, as struct-of-arrays.</summary>
internal sealed class FabricPorts
{
    /// <summary>The counters, in the order they are kept and rendered (sysfs names).</summary>
    public static readonly string[] CounterNames =
    [
        "link_downed",
        "excessive_buffer_overrun_errors",
        "local_link_integrity_errors",
        "rnr_nak_retry_err",
        "symbol_error",
        "link_error_recovery",
        "port_rcv_errors",
        "port_xmit_discards",
    ];

    public const int LinkDowned = 0;
    public const int ExcessiveBufferOverrun = 1;
    public const int LocalLinkIntegrity = 2;
    public const int RnrNakRetry = 3;
    public const int SymbolError = 4;
    public const int LinkErrorRecovery = 5;
    public const int PortRcvErrors = 6;
    public const int PortXmitDiscards = 7;

    public FabricPorts(FleetTopology topology)
    {
        var rails = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var link in topology.Links)
        {
            if (link.Kind == LinkKind.NodeToLeaf)
            {
                string node = link.From[..link.From.IndexOf('/', StringComparison.Ordinal)];
                rails[node] = Math.Max(rails.GetValueOrDefault(node), link.Rail + 1);
            }
        }

        Offsets = new int[topology.Nodes.Count + 1];
        for (int n = 0; n < topology.Nodes.Count; n++)
        {
            Offsets[n + 1] = Offsets[n] + rails.GetValueOrDefault(topology.Nodes[n].Id.Value);
        }

        Count = Offsets[^1];
        Counters = new long[Count * CounterNames.Length];
        State = new PortState[Count];
        Array.Fill(State, PortState.Active);
    }

    public int Count { get; }

    /// <summary>Ports of node n are <c>Offsets[n]..Offsets[n+1]</c>; rail r is <c>Offsets[n] + r</c>.</summary>
    public int[] Offsets { get; }

    /// <summary>Counter c of port p is at <c>p * CounterNames.Length + c</c>.</summary>
    public long[] Counters { get; }

    public PortState[] State { get; }

    public int RailsOf(int node) => Offsets[node + 1] - Offsets[node];

    public void Add(int port, int counter, long amount) => Counters[(port * CounterNames.Length) + counter] += amount;

    public long Get(int port, int counter) => Counters[(port * CounterNames.Length) + counter];
}

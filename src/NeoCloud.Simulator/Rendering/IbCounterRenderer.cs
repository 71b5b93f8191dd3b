using System.Buffers;
using System.Text;
using NeoCloud.Fleet.Topology;
using NeoCloud.Simulator.Twin;

namespace NeoCloud.Simulator.Rendering;

/// <summary>Writes a node's InfiniBand port counters as Prometheus text: one counter family per sysfs counter, plus port state.</summary>
internal sealed class IbCounterRenderer(FleetTopology topology)
{
    private static readonly byte[][] Headers =
    [
        .. FabricPorts.CounterNames.Select(c => PrometheusText.Header($"infiniband_{c}_total", "counter", $"InfiniBand port counter {c}.")),
    ];

    private static readonly byte[][] Names = [.. FabricPorts.CounterNames.Select(c => Encoding.UTF8.GetBytes($"infiniband_{c}_total"))];
    private static readonly byte[] StateHeader = PrometheusText.Header("infiniband_port_state", "gauge", "InfiniBand logical port state (1 Down, 2 Init, 3 Armed, 4 Active).");
    private static readonly byte[] StateName = "infiniband_port_state"u8.ToArray();

    public void Render(TwinState state, int node, IBufferWriter<byte> output)
    {
        var ports = state.Ports;
        string host = PrometheusText.EscapeLabel(topology.Nodes[node].Hostname);
        int first = ports.Offsets[node];
        int rails = ports.RailsOf(node);
        var labels = new byte[rails][];
        for (int r = 0; r < rails; r++)
        {
            labels[r] = Encoding.UTF8.GetBytes($"{{Hostname=\"{host}\",device=\"mlx5_{r}\",port=\"1\"}} ");
        }

        for (int c = 0; c < FabricPorts.CounterNames.Length; c++)
        {
            PrometheusText.Write(output, Headers[c]);
            for (int r = 0; r < rails; r++)
            {
                PrometheusText.Write(output, Names[c]);
                PrometheusText.Write(output, labels[r]);
                PrometheusText.Write(output, ports.Get(first + r, c));
                PrometheusText.Write(output, "\n"u8);
            }
        }

        PrometheusText.Write(output, StateHeader);
        for (int r = 0; r < rails; r++)
        {
            PrometheusText.Write(output, StateName);
            PrometheusText.Write(output, labels[r]);
            PrometheusText.Write(output, (long)ports.State[first + r]);
            PrometheusText.Write(output, "\n"u8);
        }
    }
}

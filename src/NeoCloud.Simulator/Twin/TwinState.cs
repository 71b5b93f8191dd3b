using NeoCloud.Fleet.Topology;
using NeoCloud.Kernel.Ids;

namespace NeoCloud.Simulator.Twin;

/// <summary>All mutable state of one twin, shared by its workload, fault and remediation parts.</summary>
internal sealed class TwinState
{
    /// <summary>Owner value of a free GPU.</summary>
    public const int Free = -1;

    /// <summary>Owner value of a GPU an external executor assigned.</summary>
    public const int External = -2;

    public TwinState(FleetTopology topology, SimulationOptions options, Time.VirtualClock clock)
    {
        Topology = topology;
        Options = options;
        Clock = clock;
        Gpus = new GpuStates(topology);
        Ports = new FabricPorts(topology);
        int nodes = topology.Nodes.Count;
        NodeAlive = new bool[nodes];
        Array.Fill(NodeAlive, true);
        NodeDown = new bool[nodes];
        NodeRebooting = new bool[nodes];
        NodeCordoned = new bool[nodes];
        GpuCordoned = new bool[topology.GpuCount];
        LastSeen = new DateTimeOffset[nodes];
        Array.Fill(LastSeen, clock.GetUtcNow());
        ExternalWork = new long[topology.GpuCount];
        Owner = new int[topology.GpuCount];
        Array.Fill(Owner, Free);
        FreeOnNode = new int[nodes];
        for (int n = 0; n < nodes; n++)
        {
            FreeOnNode[n] = topology.GpuOffsets[n + 1] - topology.GpuOffsets[n];
        }

        var pdus = new Dictionary<PduId, int>();
        foreach (var rack in topology.Racks)
        {
            foreach (var pdu in rack.Pdus)
            {
                pdus.TryAdd(pdu, pdus.Count);
            }
        }

        Pdus = [.. pdus.Keys];
        LeafSwitches = [.. topology.Switches.Where(s => s.Tier == SwitchTier.Leaf)];
    }

    /// <summary>Held while a tick runs and by every public read or change, so scrapes and actuators may come from other threads.</summary>
    public Lock Gate { get; } = new();

    public FleetTopology Topology { get; }
    public SimulationOptions Options { get; }
    public Time.VirtualClock Clock { get; }
    public GpuStates Gpus { get; }
    public FabricPorts Ports { get; }

    /// <summary>Answers heartbeats and scrapes: not down by a fault and not rebooting.</summary>
    public bool[] NodeAlive { get; }

    /// <summary>A fault (PDU, heartbeat loss) holds the node down.</summary>
    public bool[] NodeDown { get; }

    public bool[] NodeRebooting { get; }

    /// <summary>The control plane cordoned the node: no new work is placed on it (work already there goes on).</summary>
    public bool[] NodeCordoned { get; }

    /// <summary>The control plane fenced the GPU: no new work is placed on it; the work on it goes on until drained.</summary>
    public bool[] GpuCordoned { get; }
    public DateTimeOffset[] LastSeen { get; }

    /// <summary>Who holds each GPU: <see cref="Free"/>, <see cref="External"/> or a synthetic job id.</summary>
    public int[] Owner { get; }

    /// <summary>The work key an executor tagged its GPUs with (the same for one gang); 0 when untagged.</summary>
    public long[] ExternalWork { get; }

    /// <summary>GPUs per node that are free and able to take work now.</summary>
    public int[] FreeOnNode { get; }

    public int AllocatedGpus { get; set; }

    public IReadOnlyList<PduId> Pdus { get; }
    public IReadOnlyList<FabricSwitch> LeafSwitches { get; }

    public long TickIndex { get; set; }

    public DateTimeOffset Now => Clock.GetUtcNow();

    public int GpuCountOf(int node) => Topology.GpuOffsets[node + 1] - Topology.GpuOffsets[node];

    public bool CanRun(int gpu) => (Gpus.Flags[gpu] & GpuFlags.Unavailable) == 0 && NodeAlive[Gpus.NodeOf[gpu]];

    /// <summary>
    /// Whether placement may put new work on the GPU. With <see cref="SimulationOptions.PlacementSeesFaults"/> it is
    /// <see cref="CanRun"/>; without, placement knows only what the control plane fenced, so a broken GPU nobody has
    /// quarantined yet still looks free.
    /// </summary>
    public bool CanPlace(int gpu)
    {
        int node = Gpus.NodeOf[gpu];
        if (NodeCordoned[node] || GpuCordoned[gpu])
        {
            return false;
        }

        return Options.PlacementSeesFaults
            ? CanRun(gpu)
            : (Gpus.Flags[gpu] & (GpuFlags.InRemediation | GpuFlags.Quarantined)) == 0 && NodeAlive[node];
    }

    public void RefreshNode(int node)
    {
        NodeAlive[node] = !NodeDown[node] && !NodeRebooting[node];
        int free = 0;
        for (int g = Topology.GpuOffsets[node]; g < Topology.GpuOffsets[node + 1]; g++)
        {
            if (Owner[g] == Free && CanPlace(g))
            {
                free++;
            }
        }

        FreeOnNode[node] = free;
    }

    public bool TryResolveGpu(string id, out int gpu)
    {
        gpu = -1;
        int slash = id.IndexOf("/gpu", StringComparison.Ordinal);
        if (slash < 0 || !Topology.TryGetNodeIndex(new NodeId(id[..slash]), out int node)
            || !int.TryParse(id.AsSpan(slash + 4), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int index)
            || index >= GpuCountOf(node))
        {
            return false;
        }

        gpu = Topology.GpuOffsets[node] + index;
        return true;
    }

    public int GpuIndex(GpuId id) =>
        TryResolveGpu(id.Value, out int gpu) ? gpu : throw new KeyNotFoundException($"No GPU '{id}' in fleet '{Topology.Name}'.");

    public int NodeIndex(NodeId id) =>
        Topology.TryGetNodeIndex(id, out int node) ? node : throw new KeyNotFoundException($"No node '{id}' in fleet '{Topology.Name}'.");

    public bool TryResolvePort(string id, out int port, out int node)
    {
        port = -1;
        int slash = id.IndexOf("/mlx5_", StringComparison.Ordinal);
        if (slash < 0 || !Topology.TryGetNodeIndex(new NodeId(id[..slash]), out node)
            || !int.TryParse(id.AsSpan(slash + 6), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int rail)
            || rail >= Ports.RailsOf(node))
        {
            node = -1;
            return false;
        }

        port = Ports.Offsets[node] + rail;
        return true;
    }
}

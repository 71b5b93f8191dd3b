using NeoCloud.Fleet.Topology;

namespace NeoCloud.Health.Signals;

/// <summary>
/// Everything one scrape round saw across a fleet, laid out by the topology's dense indexes so detectors keep their
/// state in flat arrays and a round allocates nothing: GPU i is <see cref="Gpus"/>[i] (node n's GPUs are
/// <c>GpuOffsets[n]..GpuOffsets[n+1]</c>), node n's rail r port is <see cref="Ports"/>[<see cref="PortOffsets"/>[n] + r].
/// One frame is reused round after round by its owner: call <see cref="Begin"/>, fill, hand it to the detectors.
/// </summary>
public sealed class SignalFrame
{
    public SignalFrame(FleetTopology topology, int railsPerNode = 8)
    {
        ArgumentNullException.ThrowIfNull(topology);
        Topology = topology;
        Gpus = new GpuSample[topology.GpuCount];
        NodeAnswered = new bool[topology.Nodes.Count];
        NodeInMaintenance = new bool[topology.Nodes.Count];
        WorkOfGpu = new long[topology.GpuCount];
        PortOffsets = new int[topology.Nodes.Count + 1];
        for (int n = 0; n < topology.Nodes.Count; n++)
        {
            PortOffsets[n + 1] = PortOffsets[n] + railsPerNode;
        }

        Ports = new PortSample[PortOffsets[^1]];
        RailsPerNode = railsPerNode;
    }

    public FleetTopology Topology { get; }

    /// <summary>When the round was taken.</summary>
    public DateTimeOffset At { get; private set; }

    public GpuSample[] Gpus { get; }

    /// <summary>Whether each node answered this round (its exporter replied). A node that did not answer has no GPU samples.</summary>
    public bool[] NodeAnswered { get; }

    /// <summary>
    /// Nodes in planned maintenance this round (remediation is rebooting them): their silence is expected, not a fault.
    /// Set by the health pipeline from its own runs before detection; <see cref="Begin"/> leaves it alone.
    /// </summary>
    public bool[] NodeInMaintenance { get; }

    public PortSample[] Ports { get; }

    public int[] PortOffsets { get; }

    public int RailsPerNode { get; }

    /// <summary>
    /// The work each GPU carries now (0 = idle): an opaque key per job or attempt, the same for every GPU of one gang.
    /// Detectors use it to compare gang peers (stragglers) and diagnosis to tell a job's fault from the hardware's.
    /// </summary>
    public long[] WorkOfGpu { get; }

    /// <summary>Starts a new round: clears presence marks (values are overwritten by the filler) and stamps the time.</summary>
    public void Begin(DateTimeOffset at)
    {
        At = at;
        for (int i = 0; i < Gpus.Length; i++)
        {
            Gpus[i].Present = false;
        }

        for (int i = 0; i < Ports.Length; i++)
        {
            Ports[i].Present = false;
        }

        Array.Clear(NodeAnswered);
    }
}

using NeoCloud.Fleet.Spec;
using NeoCloud.Fleet.Topology;
using NeoCloud.Health.Catalog;
using NeoCloud.Health.Detection;
using NeoCloud.Health.Findings;
using NeoCloud.Health.Signals;

namespace NeoCloud.Health.Tests.Detection;

/// <summary>
/// A small all-H100 fleet, one reused signal frame and an engine, driven round by round: every round starts from normal
/// values on every node (all answer, ports up) and the test changes what it needs before the engine observes it.
/// </summary>
internal sealed class DetectionRig : IFindingSink
{
    public static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static readonly Lazy<FleetTopology> Small = new(() => Fleet(racks: 4));
    private static readonly Lazy<FleetTopology> Medium = new(() => Fleet(racks: 10));

    private readonly List<Finding> _all = [];
    private int _rounds;

    public DetectionRig(DetectionOptions? options = null, FleetTopology? topology = null, TimeSpan? interval = null)
    {
        Topology = topology ?? Small.Value;
        Frame = new SignalFrame(Topology);
        Engine = new DetectionEngine(Topology, FaultCatalog.Default, options ?? new DetectionOptions());
        Interval = interval ?? TimeSpan.FromSeconds(30);
        At = Start;
    }

    /// <summary>16 nodes × 8 GPUs (128 GPUs), 4 nodes per rack, leaf groups of 8.</summary>
    public static FleetTopology SmallFleet => Small.Value;

    /// <summary>40 nodes × 8 GPUs (320 GPUs).</summary>
    public static FleetTopology MediumFleet => Medium.Value;

    public FleetTopology Topology { get; }
    public SignalFrame Frame { get; }
    public DetectionEngine Engine { get; }
    public TimeSpan Interval { get; set; }
    public DateTimeOffset At { get; private set; }

    /// <summary>Every finding raised so far.</summary>
    public IReadOnlyList<Finding> All => _all;

    public void Raise(Finding finding) => _all.Add(finding);

    /// <summary>Runs one round (the first at <see cref="Start"/>, then every <see cref="Interval"/>) and returns what it raised.</summary>
    public List<Finding> Round(Action<SignalFrame>? change = null)
    {
        if (_rounds > 0)
        {
            At += Interval;
        }

        _rounds++;
        Frame.Begin(At);
        for (int n = 0; n < Topology.Nodes.Count; n++)
        {
            Frame.NodeAnswered[n] = true;
        }

        for (int i = 0; i < Frame.Gpus.Length; i++)
        {
            ref var g = ref Frame.Gpus[i];
            g.Present = true;
            g.GpuTempC = 62;
            g.MemoryTempC = 70;
            g.PowerW = 550;
            g.SmClockMhz = 1980;
            g.UtilPercent = 95;
            g.ClockEventReasons = 0;
            g.RowRemapFailure = false;
            g.RowRemapPending = false;
        }

        for (int p = 0; p < Frame.Ports.Length; p++)
        {
            Frame.Ports[p].Present = true;
            Frame.Ports[p].Up = true;
        }

        change?.Invoke(Frame);
        int before = _all.Count;
        Engine.Observe(Frame, this);
        return _all.GetRange(before, _all.Count - before);
    }

    /// <summary>Runs <paramref name="rounds"/> rounds with the same change and returns everything they raised.</summary>
    public List<Finding> Rounds(int rounds, Action<SignalFrame>? change = null)
    {
        var raised = new List<Finding>();
        for (int r = 0; r < rounds; r++)
        {
            raised.AddRange(Round(change));
        }

        return raised;
    }

    /// <summary>Marks a node as not answering this round: its GPUs and ports are absent.</summary>
    public static void Silence(SignalFrame frame, int node)
    {
        frame.NodeAnswered[node] = false;
        for (int g = frame.Topology.GpuOffsets[node]; g < frame.Topology.GpuOffsets[node + 1]; g++)
        {
            frame.Gpus[g].Present = false;
        }

        for (int p = frame.PortOffsets[node]; p < frame.PortOffsets[node + 1]; p++)
        {
            frame.Ports[p].Present = false;
        }
    }

    private static FleetTopology Fleet(int racks) => FleetGenerator.Generate(FleetSpecReader.Parse($$"""
        apiVersion: neocloud.dev/v1
        kind: Fleet
        metadata:
          name: detection-{{racks}}
        spec:
          regions:
            - name: tst1
              displayName: Test 1
              sites:
                - name: dc1
                  pods: 1
                  racksPerPod: {{racks}}
                  nodesPerRack: 4
                  skuMix:
                    - { sku: h100-sxm5-80gb, percent: 100 }
                  fabric: { kind: infiniband, rails: 8, nodesPerLeafGroup: 8, spinesPerPod: 2, linkSpeedGbps: 400 }
        """));
}

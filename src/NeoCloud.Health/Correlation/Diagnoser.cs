using System.Globalization;
using NeoCloud.Fleet.Topology;
using NeoCloud.Health.Catalog;
using NeoCloud.Health.Findings;
using NeoCloud.Health.Signals;
using NeoCloud.Kernel.Ids;

namespace NeoCloud.Health.Correlation;

/// <summary>
/// Decides which component is at fault by correlating findings across the topology and the jobs: one GPU; several GPUs
/// of one node (the host); many nodes under one leaf switch or PDU (the switch or the power, not each node); the same
/// application error on several GPUs of one job (the job, not the hardware).
/// </summary>
/// <remarks>
/// <para>Every finding ends up in exactly one diagnosis. Rules, by the class of the finding:</para>
/// <list type="bullet">
/// <item><b>Port findings</b> (catalogue source Port: <c>IB-*</c>) are held <see cref="DiagnosisOptions.CorrelationWindow"/>
/// from the first finding under the same leaf switch (the switch the topology cables <c>node/mlx5_r</c> to). If at least
/// <see cref="DiagnosisOptions.SharedCauseMinNodes"/> nodes and at least <see cref="DiagnosisOptions.SharedCauseFraction"/>
/// of the leaf group lost that rail, one diagnosis blames the switch (RepairFabric; Nodes = every node under it, none of
/// them is drained); otherwise each port is diagnosed on its own (RepairFabric, fatal as its findings).</item>
/// <item>Fatal faults on two or more ports of one node that no switch explains (each rail's switch serves its other
/// nodes fine) blame the node's side: NICs, PCIe or host (Suspect Node, RebootNode), not each cable.</item>
/// <item><b>Missing heartbeats</b> are held the same way per PDU: enough of a PDU's nodes silent at once blame the PDU
/// (RepairPower); otherwise each node (RebootNode, fatal). A rack is not tested separately: in our fleets a rack is its
/// PDUs (FleetGenerator spreads a rack's slots over its PDUs), so a dead rack shows as each of its PDUs.</item>
/// <item>The minimum node count is capped at the size of the group (never below 2): a PDU feeding two nodes is blamed
/// when both go silent at once, which the default minimum of 3 could never see.</item>
/// <item>A switch or PDU stays blamed for <see cref="DiagnosisOptions.SharedCauseMemory"/>: late findings below it are
/// decided at once as the same switch or PDU.</item>
/// <item><b>Application-class findings</b> (catalogue remedy RestartApplication or None, <c>NCCL-TIMEOUT</c>, any finding
/// on a Job) are held <see cref="DiagnosisOptions.JobWindow"/> per work key (the finding's, else the frame's work of its
/// GPU). On two or more GPUs of one job: the job (RestartApplication, not fatal, no hardware action). On one GPU: the GPU
/// (Diagnose) when that GPU had application-class findings <see cref="DiagnosisOptions.RepeatOnGpu"/> times within
/// <see cref="DiagnosisOptions.RepeatWindow"/> (NVSentinel's rule), else the job with a lower confidence; a GPU that carried no work blames no job (Suspect Gpu,
/// remedy None: recorded, nothing done). The per-GPU
/// history counts only findings decided on one GPU: errors blamed on a whole job say nothing about each GPU.</item>
/// <item><b>Hardware findings</b> (everything else) are decided in the next <see cref="Decide"/>, without waiting. Fatal
/// findings on two or more GPUs of one node within CorrelationWindow (in the same round, or a GPU already diagnosed alone
/// earlier in the window) give one node diagnosis (RebootNode, fatal) that lists the earlier GPU diagnoses in
/// <see cref="Diagnosis.Supersedes"/>. A single GPU gets the remedy of its catalogue entry (the strongest of them when
/// it has several findings) and is fatal when a finding is.</item>
/// <item>All findings on one component decided in the same call make one diagnosis.</item>
/// </list>
/// <para>Ids are <c>dgn-</c> sortable ids stamped with the frame's time; their random part comes from a seeded generator
/// so a simulated run is reproducible. Not thread-safe: one diagnoser belongs to one pipeline loop.</para>
/// </remarks>
public sealed partial class Diagnoser
{
    /// <summary>The seed of the id generator when none is given.</summary>
    public const int DefaultSeed = 0x4E43;

    private const string NcclTimeout = "NCCL-TIMEOUT";
    private static readonly TimeSpan SweepEvery = TimeSpan.FromMinutes(1);

    private readonly FleetTopology _topology;
    private readonly FaultCatalog _catalog;
    private readonly DiagnosisOptions _options;
    private readonly DiagnosisIdSource _ids;
    private readonly Dictionary<string, LeafPort> _leafOfPort = new(StringComparer.Ordinal);
    private readonly List<Held> _fabric = [];
    private readonly List<Leftover> _leftovers = [];
    private readonly List<Finding> _application = [];
    private readonly List<Finding> _hardware = [];
    private readonly Dictionary<string, List<Strike>> _fatalByNode = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Blame> _blames = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<DateTimeOffset>> _applicationHistory = new(StringComparer.Ordinal);
    private DateTimeOffset _lastSweep = DateTimeOffset.MinValue;

    public Diagnoser(FleetTopology topology, FaultCatalog catalog, DiagnosisOptions options)
        : this(topology, catalog, options, DefaultSeed)
    {
    }

    /// <summary>A diagnoser whose ids draw their random part from <paramref name="seed"/>.</summary>
    public Diagnoser(FleetTopology topology, FaultCatalog catalog, DiagnosisOptions options, int seed)
    {
        ArgumentNullException.ThrowIfNull(topology);
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(options);
        Validate(options);
        _topology = topology;
        _catalog = catalog;
        _options = options;
        _ids = new DiagnosisIdSource(seed);
        foreach (var link in topology.Links)
        {
            if (link.Kind == LinkKind.NodeToLeaf && topology.TryGetSwitch(new SwitchId(link.To), out var leaf) && leaf.LeafGroup is not null)
            {
                _leafOfPort[link.From] = new LeafPort(leaf.Id.Value, leaf.LeafGroup, leaf.Rail);
            }
        }
    }

    /// <summary>Findings held, not yet decided.</summary>
    public int Pending => _fabric.Count + _application.Count + _hardware.Count;

    /// <summary>Takes a finding in; it is decided on at once or held for its correlation window.</summary>
    /// <exception cref="ArgumentException">The finding names a node that is not in the fleet.</exception>
    public void Add(Finding finding)
    {
        ArgumentNullException.ThrowIfNull(finding);
        var fault = Lookup(finding.Code);
        switch (Classify(finding, fault))
        {
            case FindingClass.Port:
            {
                int node = NodeIndexOf(finding);
                if (_leafOfPort.TryGetValue(finding.Component.Id, out var leaf))
                {
                    _fabric.Add(new Held(finding, FindingClass.Port, "leaf:" + leaf.Switch, leaf, node));
                }
                else
                {
                    _fabric.Add(new Held(finding, FindingClass.Port, "alone:" + finding.Component, null, node));
                }

                break;
            }

            case FindingClass.Heartbeat:
            {
                int node = NodeIndexOf(finding);
                string key = node >= 0 ? "pdu:" + _topology.Nodes[node].Pdu.Value : "alone:" + finding.Component;
                _fabric.Add(new Held(finding, FindingClass.Heartbeat, key, null, node));
                break;
            }

            case FindingClass.Application:
                _ = NodeIndexOf(finding);
                _application.Add(finding);
                break;

            default:
                _ = NodeIndexOf(finding);
                _hardware.Add(finding);
                break;
        }
    }

    /// <summary>
    /// Decides every held finding whose window has passed at <paramref name="frame"/>.At (the frame's work map tells which
    /// GPUs belong to one job) and appends the diagnoses to <paramref name="output"/>. Each finding ends up in exactly one diagnosis.
    /// </summary>
    public void Decide(SignalFrame frame, List<Diagnosis> output)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(output);
        if (frame.WorkOfGpu.Length != _topology.GpuCount)
        {
            throw new ArgumentException(
                $"The frame has {frame.WorkOfGpu.Length} GPUs but fleet '{_topology.Name}' has {_topology.GpuCount}: it belongs to another fleet.", nameof(frame));
        }

        var at = frame.At;
        DecideHardware(at, output);
        DecideFabric(at, output);
        DecideApplication(frame, output);
        Sweep(at);
    }

    private static void Validate(DiagnosisOptions options)
    {
        if (options.CorrelationWindow < TimeSpan.Zero || options.JobWindow < TimeSpan.Zero || options.RepeatWindow < TimeSpan.Zero || options.SharedCauseMemory < TimeSpan.Zero)
        {
            throw new ArgumentException("DiagnosisOptions: CorrelationWindow, JobWindow, RepeatWindow and SharedCauseMemory must not be negative.", nameof(options));
        }

        if (!(options.SharedCauseFraction > 0 && options.SharedCauseFraction <= 1))
        {
            throw new ArgumentException($"DiagnosisOptions.SharedCauseFraction must be in (0, 1], not {options.SharedCauseFraction}.", nameof(options));
        }

        if (options.SharedCauseMinNodes < 1 || options.RepeatOnGpu < 1)
        {
            throw new ArgumentException(
                $"DiagnosisOptions.SharedCauseMinNodes ({options.SharedCauseMinNodes}) and RepeatOnGpu ({options.RepeatOnGpu}) must be at least 1.", nameof(options));
        }
    }

    private FaultCode? Lookup(string code)
    {
        if (_catalog.TryGet(code, out var fault))
        {
            return fault;
        }

        return code.StartsWith("XID-", StringComparison.Ordinal)
            && int.TryParse(code.AsSpan(4), NumberStyles.None, CultureInfo.InvariantCulture, out int xid)
            ? _catalog.Xid(xid)
            : null;
    }

    private static FindingClass Classify(Finding finding, FaultCode? fault)
    {
        if (fault?.Source == SignalSource.Heartbeat)
        {
            return FindingClass.Heartbeat;
        }

        if (fault?.Source == SignalSource.Port || finding.Component.Kind == ComponentKind.Port)
        {
            return FindingClass.Port;
        }

        if (finding.Code == NcclTimeout || finding.Component.Kind == ComponentKind.Job
            || fault is { Remedy: RemedyHint.RestartApplication or RemedyHint.None })
        {
            return FindingClass.Application;
        }

        return FindingClass.Hardware;
    }

    /// <summary>The least action a finding calls for; a code the catalogue does not know is diagnosed (the safe reading).</summary>
    private RemedyHint RemedyOf(Finding finding) => Lookup(finding.Code)?.Remedy ?? RemedyHint.Diagnose;

    private static string? NodeNameOf(Finding finding)
    {
        if (finding.Node is not null)
        {
            return finding.Node;
        }

        string id = finding.Component.Id;
        return finding.Component.Kind switch
        {
            ComponentKind.Node => id,
            ComponentKind.Gpu or ComponentKind.Port => id.IndexOf('/', StringComparison.Ordinal) is var slash and > 0 ? id[..slash] : null,
            _ => null,
        };
    }

    /// <summary>The dense index of the finding's node, -1 for a finding on no node (a job); throws for a node the fleet lacks.</summary>
    private int NodeIndexOf(Finding finding)
    {
        string? node = NodeNameOf(finding);
        if (node is null)
        {
            if (finding.Component.Kind is ComponentKind.Gpu or ComponentKind.Port)
            {
                throw new ArgumentException(
                    $"Finding {finding.Id} ({finding.Code}) is on {finding.Component}, which names no node (expected node/gpuN or node/mlx5_N).", nameof(finding));
            }

            return -1;
        }

        return _topology.TryGetNodeIndex(new NodeId(node), out int index)
            ? index
            : throw new ArgumentException($"Finding {finding.Id} ({finding.Code}) is on node '{node}', which is not in fleet '{_topology.Name}'.", nameof(finding));
    }

    /// <summary>The dense GPU index of <c>node/gpuN</c>, or -1.</summary>
    private int GpuIndexOf(string gpuId)
    {
        int mark = gpuId.LastIndexOf("/gpu", StringComparison.Ordinal);
        if (mark <= 0
            || !int.TryParse(gpuId.AsSpan(mark + 4), NumberStyles.None, CultureInfo.InvariantCulture, out int local)
            || !_topology.TryGetNodeIndex(new NodeId(gpuId[..mark]), out int node)
            || local >= _topology.Nodes[node].GpuCount)
        {
            return -1;
        }

        return _topology.GpuOffsets[node] + local;
    }

    /// <summary>Forgets strikes, blames and histories too old to matter, at most once a minute of frame time.</summary>
    private void Sweep(DateTimeOffset at)
    {
        if (at - _lastSweep < SweepEvery)
        {
            return;
        }

        _lastSweep = at;
        SweepNow(at);
    }

    // Apart from Sweep so the closures over 'at' are allocated only when a sweep runs, not on every idle round.
    private void SweepNow(DateTimeOffset at)
    {
        foreach (var (node, strikes) in _fatalByNode)
        {
            strikes.RemoveAll(s => s.At < at - (2 * _options.CorrelationWindow));
            if (strikes.Count == 0)
            {
                _fatalByNode.Remove(node);
            }
        }

        foreach (var (key, blame) in _blames)
        {
            if (at - blame.At > _options.SharedCauseMemory)
            {
                _blames.Remove(key);
            }
        }

        foreach (var (gpu, history) in _applicationHistory)
        {
            history.RemoveAll(t => t < at - _options.RepeatWindow);
            if (history.Count == 0)
            {
                _applicationHistory.Remove(gpu);
            }
        }
    }

    private static long WorkOf(List<Finding> findings) => findings.Find(f => f.Work != 0)?.Work ?? 0;

    private static string Codes(IEnumerable<Finding> findings) =>
        string.Join(", ", findings.Select(f => f.Code).Distinct(StringComparer.Ordinal));

    private static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture) + " s";

    private static string Describe(RemedyHint remedy) => remedy switch
    {
        RemedyHint.None => "nothing to do to the hardware",
        RemedyHint.RestartApplication => "restart the job from its checkpoint",
        RemedyHint.ResetGpu => "reset the GPU",
        RemedyHint.RebootNode => "reboot the node",
        RemedyHint.Diagnose => "run diagnostics to decide",
        RemedyHint.Replace => "replace the part (RMA)",
        RemedyHint.RepairFabric => "reseat or replace the cable or transceiver",
        RemedyHint.RepairPower => "restore the power feed",
        RemedyHint.Drain => "take the work off it and watch it",
        _ => remedy.ToString(),
    };
}

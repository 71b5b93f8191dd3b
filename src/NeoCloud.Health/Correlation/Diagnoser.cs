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
public sealed class Diagnoser
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

    private void DecideHardware(DateTimeOffset at, List<Diagnosis> output)
    {
        if (_hardware.Count == 0)
        {
            return;
        }

        var byNode = new Dictionary<string, List<Finding>>(StringComparer.Ordinal);
        var nodeless = new List<Finding>();
        foreach (var finding in _hardware)
        {
            if (NodeNameOf(finding) is { } node)
            {
                if (!byNode.TryGetValue(node, out var list))
                {
                    byNode[node] = list = [];
                }

                list.Add(finding);
            }
            else
            {
                nodeless.Add(finding);
            }
        }

        _hardware.Clear();
        foreach (var (node, findings) in byNode)
        {
            var rest = DecideNodeOfGpus(node, findings, at, output);
            DecideEachComponent(rest, at, output);
        }

        DecideEachComponent(nodeless, at, output);
    }

    /// <summary>Emits one node diagnosis when fatal faults hit two or more GPUs of the node within the window; returns the findings it did not take.</summary>
    private List<Finding> DecideNodeOfGpus(string node, List<Finding> findings, DateTimeOffset at, List<Diagnosis> output)
    {
        var fatalNow = findings.Where(f => f.Fatal && f.Component.Kind == ComponentKind.Gpu).ToList();
        if (fatalNow.Count == 0)
        {
            return findings;
        }

        var gpusNow = fatalNow.Select(f => f.Component.Id).Distinct(StringComparer.Ordinal).ToList();
        var earliest = fatalNow.Min(f => f.DetectedAt);
        var earlier = _fatalByNode.TryGetValue(node, out var strikes)
            ? strikes.Where(s => s.At >= earliest - _options.CorrelationWindow && !gpusNow.Contains(s.Gpu, StringComparer.Ordinal)).ToList()
            : [];
        var gpusEarlier = earlier.Select(s => s.Gpu).Distinct(StringComparer.Ordinal).ToList();
        if (gpusNow.Count + gpusEarlier.Count < 2)
        {
            return findings;
        }

        var taken = findings.Where(f => f.Fatal && f.Component.Kind is ComponentKind.Gpu or ComponentKind.Node).ToList();
        var takenSet = new HashSet<Finding>(taken, ReferenceEqualityComparer.Instance);
        var supersedes = earlier.Select(s => s.Diagnosis).Distinct(StringComparer.Ordinal).ToList();
        var gpus = gpusEarlier.Concat(gpusNow).Order(StringComparer.Ordinal).ToList();
        string id = _ids.Next(at);
        string what = string.Join(", ", fatalNow.Select(f => $"{f.Component.Id} {f.Code}").Distinct(StringComparer.Ordinal));
        string reasoning =
            $"Fatal hardware faults on {gpus.Count} GPUs of node {node} within {Seconds(_options.CorrelationWindow)} ({what}"
            + (gpusEarlier.Count > 0 ? $"; earlier: {string.Join(", ", gpusEarlier)}" : "")
            + "): several GPUs of one node point at the host, a PCIe switch or power, not at each GPU; reboot the node."
            + (supersedes.Count > 0 ? $" Supersedes {string.Join(", ", supersedes)}." : "");
        output.Add(new Diagnosis(
            id, new ComponentRef(ComponentKind.Node, node), Math.Min(0.9, 0.5 + (0.1 * gpus.Count)), reasoning, RemedyHint.RebootNode, Fatal: true, at,
            [node], gpus, taken)
        {
            Work = WorkOf(taken),
            Supersedes = supersedes,
        });
        foreach (var f in fatalNow)
        {
            RememberStrike(node, f.Component.Id, f.DetectedAt, id);
        }

        return findings.Where(f => !takenSet.Contains(f)).ToList();
    }

    /// <summary>One diagnosis per component for hardware findings not explained by their node.</summary>
    private void DecideEachComponent(List<Finding> findings, DateTimeOffset at, List<Diagnosis> output)
    {
        foreach (var group in findings.GroupBy(f => f.Component))
        {
            var list = group.ToList();
            var remedy = list.Select(RemedyOf).Aggregate(RemedyHint.None, RemedyOrder.Strongest);
            bool fatal = list.Exists(f => f.Fatal);
            bool known = list.TrueForAll(f => Lookup(f.Code) is not null);
            string? node = NodeNameOf(list[0]);
            string codes = Codes(list);
            var suspect = group.Key;
            string id = _ids.Next(at);
            string reasoning = suspect.Kind switch
            {
                ComponentKind.Gpu when fatal =>
                    $"{codes} on GPU {suspect.Id} alone: no other GPU of node {node} failed within {Seconds(_options.CorrelationWindow)}, so the GPU, not the host; {Describe(remedy)}.",
                ComponentKind.Gpu =>
                    $"{codes} on GPU {suspect.Id}: a degradation of this GPU, not a failure; {Describe(remedy)}.",
                _ => $"{codes} on {suspect}: {Describe(remedy)}.",
            };
            if (!known)
            {
                reasoning += " A code the fault catalogue does not know is treated as calling for diagnostics.";
            }

            double confidence = !known ? 0.5 : fatal ? 0.9 : 0.75;
            output.Add(new Diagnosis(
                id, suspect, confidence, reasoning, remedy, fatal, at,
                node is null ? [] : [node],
                suspect.Kind == ComponentKind.Gpu ? [suspect.Id] : [],
                list)
            {
                Work = WorkOf(list),
            });
            if (fatal && suspect.Kind == ComponentKind.Gpu && node is not null)
            {
                RememberStrike(node, suspect.Id, list.Where(f => f.Fatal).Min(f => f.DetectedAt), id);
            }
        }
    }

    private void RememberStrike(string node, string gpu, DateTimeOffset at, string diagnosis)
    {
        if (!_fatalByNode.TryGetValue(node, out var strikes))
        {
            _fatalByNode[node] = strikes = [];
        }

        strikes.Add(new Strike(gpu, at, diagnosis));
    }

    private void DecideFabric(DateTimeOffset at, List<Diagnosis> output)
    {
        if (_fabric.Count == 0)
        {
            return;
        }

        var groups = new Dictionary<string, List<Held>>(StringComparer.Ordinal);
        foreach (var held in _fabric)
        {
            if (!groups.TryGetValue(held.Key, out var list))
            {
                groups[held.Key] = list = [];
            }

            list.Add(held);
        }

        _fabric.Clear();
        foreach (var (key, list) in groups)
        {
            var remaining = list;
            while (remaining.Count > 0)
            {
                var first = remaining.Min(h => h.Finding.DetectedAt);
                Blame? blame = _blames.TryGetValue(key, out var b) && at - b.At <= _options.SharedCauseMemory ? b : null;
                if (blame is null && at < first + _options.CorrelationWindow)
                {
                    _fabric.AddRange(remaining);
                    break;
                }

                // A window spans CorrelationWindow from its first finding; findings raised after it (a late round) open the next one.
                var end = blame is null ? first + _options.CorrelationWindow : DateTimeOffset.MaxValue;
                var due = remaining.FindAll(h => h.Finding.DetectedAt <= end);
                remaining = remaining.FindAll(h => h.Finding.DetectedAt > end);
                if (key.StartsWith("alone:", StringComparison.Ordinal))
                {
                    KeepUnexplained(due, "it is not cabled to a leaf switch the topology knows, so it cannot be correlated");
                }
                else
                {
                    DecideShared(key, due, blame, at, output);
                }
            }
        }

        DecideLeftovers(at, output);
    }

    private void DecideShared(string key, List<Held> list, Blame? blame, DateTimeOffset at, List<Diagnosis> output)
    {
        bool port = list[0].Class == FindingClass.Port;
        string sharedId = key[(key.IndexOf(':', StringComparison.Ordinal) + 1)..];
        var leaf = list[0].Leaf;
        var below = port ? _topology.NodesInLeafGroup(leaf!.Value.LeafGroup) : _topology.NodesOnPdu(new PduId(sharedId));
        int total = below.Length;
        int hit = list.Select(h => h.Node).Distinct().Count();
        int need = Math.Max(2, Math.Min(_options.SharedCauseMinNodes, total));
        double fraction = total == 0 ? 0 : (double)hit / total;
        string where = port ? $"leaf group {leaf!.Value.LeafGroup}" : $"PDU {sharedId}";
        string lost = port ? $"lost rail {leaf!.Value.Rail}" : "stopped answering";
        string window = Seconds(_options.CorrelationWindow);
        if (blame is null && (hit < need || hit < _options.SharedCauseFraction * total))
        {
            string why = hit == 1
                ? $"no other node of {where} {lost} within {window}, so this node's own " + (port ? "cable, transceiver or NIC" : "host") + $", not the {(port ? "switch" : "power")}"
                : $"{hit} of {total} nodes of {where} {lost} within {window}, below the shared-cause threshold ({need} nodes and {_options.SharedCauseFraction:P0}), so each on its own";
            KeepUnexplained(list, why);
            return;
        }

        var names = new List<string>(total);
        foreach (int n in below)
        {
            names.Add(_topology.Nodes[n].Id.Value);
        }

        string id = _ids.Next(at);
        string codes = Codes(list.Select(h => h.Finding));
        string reasoning = (blame, port) switch
        {
            (not null, true) => $"{hit} more node(s) of {where} {lost} ({codes}) while switch {sharedId} is already blamed ({blame.Value.Diagnosis}): the same switch, not the nodes.",
            (not null, false) => $"{hit} more node(s) on {where} {lost} while it is already blamed ({blame.Value.Diagnosis}): the same power fault, not the nodes.",
            (null, true) => $"{hit} of {total} nodes of {where} {lost} at once (within {window}; {codes}): the switch {sharedId}, not the nodes. Repair the switch; its nodes are healthy and are not drained one by one.",
            (null, false) => $"{hit} of {total} nodes on {where} {lost} at once (within {window}): the power, not the nodes. Restore the PDU; rebooting the nodes one by one would not help.",
        };
        double confidence = blame is not null ? 0.9 : Math.Min(0.99, 0.5 + (0.5 * fraction));
        output.Add(new Diagnosis(
            id, new ComponentRef(port ? ComponentKind.Switch : ComponentKind.Pdu, sharedId), confidence, reasoning,
            port ? RemedyHint.RepairFabric : RemedyHint.RepairPower, Fatal: true, at, names, [], [.. list.Select(h => h.Finding)]));
        if (blame is null)
        {
            _blames[key] = new Blame(id, at);
        }
    }

    /// <summary>Keeps port and heartbeat findings no shared cause explains, to decide them together once every due group is seen.</summary>
    private void KeepUnexplained(List<Held> list, string why)
    {
        bool several = list.Select(h => h.Node).Distinct().Count() > 1;
        foreach (var held in list)
        {
            _leftovers.Add(new Leftover(held, why, several));
        }
    }

    /// <summary>
    /// Decides what no switch or PDU explained: fatal faults on two or more ports of one node at once (each port on its own
    /// rail's switch, which serves the other nodes fine) blame the node's side (NICs, PCIe, host); otherwise each port is
    /// its own diagnosis and each silent node its own.
    /// </summary>
    private void DecideLeftovers(DateTimeOffset at, List<Diagnosis> output)
    {
        if (_leftovers.Count == 0)
        {
            return;
        }

        var taken = new HashSet<Finding>(ReferenceEqualityComparer.Instance);
        var hosts = _leftovers
            .Where(l => l.Held.Class == FindingClass.Port && l.Held.Node >= 0)
            .GroupBy(l => l.Held.Node)
            .Where(g => g.Where(l => l.Held.Finding.Fatal).Select(l => l.Held.Finding.Component.Id).Distinct(StringComparer.Ordinal).Count() >= 2);
        foreach (var host in hosts)
        {
            var findings = host.Select(l => l.Held.Finding).ToList();
            var ports = findings.Select(f => f.Component.Id).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            string node = _topology.Nodes[host.Key].Id.Value;
            output.Add(new Diagnosis(
                _ids.Next(at), new ComponentRef(ComponentKind.Node, node), 0.7,
                $"Fatal port faults on {ports.Count} ports of node {node} at once ({string.Join(", ", ports)}: {Codes(findings)}), each on its own rail's leaf switch, "
                + $"which no other node blames: the node's NICs, PCIe or host, not {ports.Count} cables; reboot the node.",
                RemedyHint.RebootNode, Fatal: true, at, [node], [], findings));
            taken.UnionWith(findings);
        }

        foreach (var group in _leftovers.Where(l => !taken.Contains(l.Held.Finding)).GroupBy(l => l.Held.Finding.Component))
        {
            var first = group.First();
            var findings = group.Select(l => l.Held.Finding).ToList();
            bool port = first.Held.Class == FindingClass.Port;
            string? node = NodeNameOf(findings[0]);
            bool fatal = !port || findings.Exists(f => f.Fatal);
            var suspect = port ? group.Key : new ComponentRef(ComponentKind.Node, node ?? group.Key.Id);
            var remedy = port ? findings.Select(RemedyOf).Aggregate(RemedyHint.RepairFabric, RemedyOrder.Strongest) : RemedyHint.RebootNode;
            string reasoning = $"{Codes(findings)} on {suspect}: {first.Why}; {Describe(remedy)}.";
            double confidence = (port ? (fatal ? 0.8 : 0.6) : 0.8) - (first.Several ? 0.1 : 0);
            output.Add(new Diagnosis(
                _ids.Next(at), suspect, confidence, reasoning, remedy, fatal, at, node is null ? [] : [node], [], findings));
        }

        _leftovers.Clear();
    }

    private void DecideApplication(SignalFrame frame, List<Diagnosis> output)
    {
        if (_application.Count == 0)
        {
            return;
        }

        var at = frame.At;
        var groups = new Dictionary<string, (long Work, List<Finding> Findings)>(StringComparer.Ordinal);
        foreach (var finding in _application)
        {
            long work = finding.Work;
            if (work == 0 && finding.Component.Kind == ComponentKind.Gpu && GpuIndexOf(finding.Component.Id) is var gpu and >= 0)
            {
                work = frame.WorkOfGpu[gpu];
            }

            string key = work != 0 ? "work:" + work.ToString(CultureInfo.InvariantCulture) : "component:" + finding.Component;
            if (!groups.TryGetValue(key, out var group))
            {
                groups[key] = group = (work, []);
            }

            group.Findings.Add(finding);
        }

        _application.Clear();
        foreach (var (work, findings) in groups.Values)
        {
            var remaining = findings;
            while (remaining.Count > 0)
            {
                var end = remaining.Min(f => f.DetectedAt) + _options.JobWindow;
                if (at < end)
                {
                    _application.AddRange(remaining);
                    break;
                }

                DecideJob(work, remaining.FindAll(f => f.DetectedAt <= end), at, output);
                remaining = remaining.FindAll(f => f.DetectedAt > end);
            }
        }
    }

    private void DecideJob(long work, List<Finding> findings, DateTimeOffset at, List<Diagnosis> output)
    {
        var onGpus = findings.Where(f => f.Component.Kind == ComponentKind.Gpu).ToList();
        var gpus = onGpus.Select(f => f.Component.Id).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var nodes = onGpus.Select(NodeNameOf).OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        string? reportedName = findings.Find(f => f.Component.Kind == ComponentKind.Job)?.Component.Id;
        string job = reportedName ?? (work != 0 ? "work-" + work.ToString(CultureInfo.InvariantCulture) : "the work on " + findings[0].Component.Id);
        string codes = Codes(findings);
        string window = Seconds(_options.JobWindow);
        bool restart = findings.Exists(f => f.Code == NcclTimeout || f.Component.Kind == ComponentKind.Job || RemedyOf(f) == RemedyHint.RestartApplication);
        var jobRemedy = restart ? RemedyHint.RestartApplication : RemedyHint.None;
        string id = _ids.Next(at);
        if (gpus.Count >= 2)
        {
            output.Add(new Diagnosis(
                id, new ComponentRef(ComponentKind.Job, job), Math.Min(0.95, 0.6 + (0.05 * gpus.Count)),
                $"The same {codes} on {gpus.Count} GPUs of one job ({job}) within {window}: the job, not the hardware; {Describe(jobRemedy)}, no hardware action.",
                jobRemedy, Fatal: false, at, nodes, gpus, findings)
            {
                Work = work,
            });
            return;
        }

        if (gpus.Count == 1)
        {
            string gpu = gpus[0];
            if (!_applicationHistory.TryGetValue(gpu, out var history))
            {
                _applicationHistory[gpu] = history = [];
            }

            history.RemoveAll(t => t < at - _options.RepeatWindow);
            history.AddRange(onGpus.Select(f => f.DetectedAt));
            int times = history.Count;
            if (history.Count > _options.RepeatOnGpu)
            {
                // Only whether the count reaches RepeatOnGpu matters: keep the newest few.
                history.Sort();
                history.RemoveRange(0, history.Count - _options.RepeatOnGpu);
            }

            if (times >= _options.RepeatOnGpu)
            {
                output.Add(new Diagnosis(
                    id, new ComponentRef(ComponentKind.Gpu, gpu), 0.7,
                    $"Application-class faults ({codes}) on GPU {gpu} {times} times within {_options.RepeatWindow.TotalHours:0.#} h and on no other GPU of {job}: an error that keeps coming back on one GPU points at the GPU; run diagnostics on it.",
                    RemedyHint.Diagnose, findings.Exists(f => f.Fatal), at, nodes, gpus, findings)
                {
                    Work = work,
                });
                return;
            }

            if (work == 0 && reportedName is null)
            {
                // No work on the GPU, so no job to blame: recorded against the GPU, nothing done; a repeat calls for diagnostics.
                output.Add(new Diagnosis(
                    id, new ComponentRef(ComponentKind.Gpu, gpu), 0.4,
                    $"{codes} on GPU {gpu}, which carried no work, the first time on it within {_options.RepeatWindow.TotalHours:0.#} h: recorded, nothing to do to the hardware yet (if it comes back on this GPU, diagnostics).",
                    RemedyHint.None, Fatal: false, at, nodes, gpus, findings));
                return;
            }

            output.Add(new Diagnosis(
                id, new ComponentRef(ComponentKind.Job, job), 0.5,
                $"{codes} on one GPU ({gpu}) of {job}, the first time on it within {_options.RepeatWindow.TotalHours:0.#} h and on no other GPU within {window}: most likely the application; {Describe(jobRemedy)}, no hardware action (if it comes back on this GPU, diagnostics).",
                jobRemedy, Fatal: false, at, nodes, gpus, findings)
            {
                Work = work,
            });
            return;
        }

        output.Add(new Diagnosis(
            id, new ComponentRef(ComponentKind.Job, job), 0.6,
            $"{codes} reported by {job} with no fault on any of its GPUs within {window}: the job (or a peer it waited on), not the hardware; {Describe(jobRemedy)}, no hardware action.",
            jobRemedy, Fatal: false, at, [], [], findings)
        {
            Work = work,
        });
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

    /// <summary>The leaf switch a node port is cabled to.</summary>
    private readonly record struct LeafPort(string Switch, string LeafGroup, int Rail);

    /// <summary>A port or heartbeat finding held under its shared cause (<c>leaf:</c>, <c>pdu:</c>) or alone.</summary>
    private readonly record struct Held(Finding Finding, FindingClass Class, string Key, LeafPort? Leaf, int Node);

    /// <summary>A port or heartbeat finding no shared cause explains, with why not.</summary>
    private readonly record struct Leftover(Held Held, string Why, bool Several);

    /// <summary>A fatal fault on one GPU of a node, remembered to see whether another GPU of the node follows.</summary>
    private readonly record struct Strike(string Gpu, DateTimeOffset At, string Diagnosis);

    /// <summary>A switch or PDU already diagnosed, so late findings below it join it.</summary>
    private readonly record struct Blame(string Diagnosis, DateTimeOffset At);
}

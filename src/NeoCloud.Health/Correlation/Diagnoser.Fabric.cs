using NeoCloud.Health.Catalog;
using NeoCloud.Health.Findings;
using NeoCloud.Kernel.Ids;

namespace NeoCloud.Health.Correlation;

/// <summary>Port and heartbeat findings: a leaf switch, a PDU, a node or one port.</summary>
public sealed partial class Diagnoser
{
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

    /// <summary>The leaf switch a node port is cabled to.</summary>
    private readonly record struct LeafPort(string Switch, string LeafGroup, int Rail);

    /// <summary>A port or heartbeat finding held under its shared cause (<c>leaf:</c>, <c>pdu:</c>) or alone.</summary>
    private readonly record struct Held(Finding Finding, FindingClass Class, string Key, LeafPort? Leaf, int Node);

    /// <summary>A port or heartbeat finding no shared cause explains, with why not.</summary>
    private readonly record struct Leftover(Held Held, string Why, bool Several);

    /// <summary>A switch or PDU already diagnosed, so late findings below it join it.</summary>
    private readonly record struct Blame(string Diagnosis, DateTimeOffset At);
}

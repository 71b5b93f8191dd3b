using NeoCloud.Health.Catalog;
using NeoCloud.Health.Findings;

namespace NeoCloud.Health.Correlation;

/// <summary>Hardware findings: one GPU, or several GPUs of one node (the host).</summary>
public sealed partial class Diagnoser
{
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

    /// <summary>A fatal fault on one GPU of a node, remembered to see whether another GPU of the node follows.</summary>
    private readonly record struct Strike(string Gpu, DateTimeOffset At, string Diagnosis);
}

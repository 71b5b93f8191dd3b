using NeoCloud.Health.Correlation;
using NeoCloud.Health.Findings;
using NeoCloud.Health.Pipeline;
using NeoCloud.Health.Remediation;
using NeoCloud.Health.Store;
using NeoCloud.Kernel.Ids;
using NeoCloud.Simulator.Faults;
using NeoCloud.Simulator.Twin;

namespace NeoCloud.Simulator.SelfHealing;

/// <summary>
/// Scores the health pipeline against the twin's ground truth, tick by tick: which finding detected which injected
/// fault, when the fault's part was fenced and its work running again, when capacity came back, and whether the fenced
/// capacity ever went beyond the safety budget (checked on the twin's own fence state, not on the engine's word).
/// </summary>
internal sealed class HealthScorer
{
    /// <summary>A fault still undetected this long after onset, by the end of the run, counts as missed.</summary>
    public static readonly TimeSpan MissHorizon = TimeSpan.FromHours(1);

    private static readonly TimeSpan MatchHorizon = TimeSpan.FromHours(6);

    private readonly FleetTwin _twin;
    private readonly TwinRemediationFleet _fleet;
    private readonly RemediationPolicy _policy;
    private readonly IHealthStore _store;
    private readonly List<FaultScore> _faults = [];
    private readonly Dictionary<string, List<FaultScore>> _byGpu = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<FaultScore>> _byNode = new(StringComparer.Ordinal);
    private readonly Dictionary<string, FaultScore> _byTarget = new(StringComparer.Ordinal);
    private readonly Dictionary<long, FaultScore> _byWork = [];
    private readonly HashSet<string> _matchedFindings = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _faultOfFinding = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Diagnosis> _diagnoses = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, int> _bySuspect = new(StringComparer.Ordinal);
    private readonly List<FaultScore> _open = [];
    private readonly int[][] _domains;
    private readonly int[] _domainLimits;
    private readonly int[] _held;
    private int _findings;

    public HealthScorer(FleetTwin twin, TwinRemediationFleet fleet, RemediationPolicy policy, IHealthStore store)
    {
        _twin = twin;
        _fleet = fleet;
        _policy = policy;
        _store = store;

        // Every failure domain the budget covers, as (domain index per node) for sites, racks, leaf groups and PDUs.
        var nodes = twin.Topology.Nodes;
        var keys = new Dictionary<string, int>(StringComparer.Ordinal);
        var sizes = new List<int>();
        var isSite = new List<bool>();
        _domains = new int[nodes.Count][];
        for (int n = 0; n < nodes.Count; n++)
        {
            var node = nodes[n];
            string[] names = ["site:" + node.Site.Value, "rack:" + node.Rack.Value, "leaf:" + node.LeafGroup, "pdu:" + node.Pdu.Value];
            _domains[n] = new int[names.Length];
            for (int k = 0; k < names.Length; k++)
            {
                if (!keys.TryGetValue(names[k], out int d))
                {
                    keys[names[k]] = d = sizes.Count;
                    sizes.Add(0);
                    isSite.Add(k == 0);
                }

                sizes[d]++;
                _domains[n][k] = d;
            }
        }

        _domainLimits = new int[sizes.Count];
        for (int d = 0; d < sizes.Count; d++)
        {
            _domainLimits[d] = isSite[d]
                ? Math.Max(1, Math.Min(policy.MaxClusterNodes, (int)Math.Floor(policy.MaxClusterFraction * sizes[d])))
                : Math.Max(1, Math.Min(policy.MaxDomainNodes, (int)Math.Floor(policy.MaxDomainFraction * sizes[d])));
        }

        _held = new int[sizes.Count];
    }

    public int BudgetExceeded { get; private set; }

    /// <summary>The first injected fault each matched finding pointed at, by finding id (the alert scorer's link for job alerts).</summary>
    public IReadOnlyDictionary<string, string> FaultOfFinding => _faultOfFinding;

    /// <summary>A job report the twin raised for an NCCL timeout belongs to the fault that caused it.</summary>
    public void NoteReport(long work, DateTimeOffset at, string kind)
    {
        Catch();
        if (kind == Workload.JobSignal.CollectiveTimeout
            && _faults.FindLast(f => f.Fault.Kind == FaultKind.NcclTimeout && f.Fault.OnsetAt == at) is { } score)
        {
            _byWork[work] = score;
        }
    }

    public void Observe(HealthRound round)
    {
        Catch();
        foreach (var finding in round.Findings)
        {
            _findings++;
            foreach (var score in Candidates(finding))
            {
                var f = score.Fault;
                var cleared = Current(score).ClearedAt;
                if (f.OnsetAt <= finding.DetectedAt && finding.DetectedAt - f.OnsetAt <= MatchHorizon
                    && (cleared is null || cleared.Value >= finding.FirstSeenAt - _twin.Options.Tick))
                {
                    _matchedFindings.Add(finding.Id);
                    _faultOfFinding.TryAdd(finding.Id, f.Id);
                    if (score.DetectedAt is null)
                    {
                        score.DetectedAt = finding.DetectedAt;
                        score.DetectedBy = finding.Id;
                    }
                }
            }
        }

        foreach (var diagnosis in round.Diagnoses)
        {
            _diagnoses[diagnosis.Id] = diagnosis;
            string suspect = diagnosis.Suspect.Kind.ToString();
            _bySuspect[suspect] = _bySuspect.GetValueOrDefault(suspect) + 1;
            if (diagnosis.Suspect.Kind is ComponentKind.Switch or ComponentKind.Pdu && _byTarget.TryGetValue(diagnosis.Suspect.Id, out var facility))
            {
                // A switch or PDU is "fenced" by being named: the right ticket is open and no healthy node was drained.
                facility.Named ??= diagnosis.At;
            }
        }
    }

    /// <summary>After each tick: mitigation and repair of the open faults, and the budget on the twin's fences.</summary>
    public void AfterTick()
    {
        Catch();
        var now = _twin.Now;
        var state = _twin.State;
        for (int k = _open.Count - 1; k >= 0; k--)
        {
            var score = _open[k];
            var f = Current(score);
            if (score.MitigatedAt is null && Mitigated(score, f))
            {
                score.MitigatedAt = now;
            }

            if (score.RepairedAt is null && f.Fatal && (Repaired(f) || SentToRma(f)))
            {
                score.RepairedAt = now;
            }

            if (score.MitigatedAt is not null && (score.RepairedAt is not null || !f.Fatal))
            {
                _open.RemoveAt(k);
            }
        }

        Array.Clear(_held);
        var offsets = _twin.Topology.GpuOffsets;
        for (int n = 0; n < _domains.Length; n++)
        {
            bool held = state.NodeCordoned[n] && !_fleet.IsRetired(n);
            for (int g = offsets[n]; !held && g < offsets[n + 1]; g++)
            {
                held = state.GpuCordoned[g] && !_fleet.IsRetiredGpu(g);
            }

            if (held)
            {
                foreach (int d in _domains[n])
                {
                    _held[d]++;
                }
            }
        }

        for (int d = 0; d < _held.Length; d++)
        {
            if (_held[d] > _domainLimits[d])
            {
                BudgetExceeded++;
                return;
            }
        }
    }

    public HealthSummary Summarize(RemediationEngine engine, RecordingPager pager, RecordingAuditTrail audit)
    {
        Catch();
        var end = _twin.Now;
        var runs = AllRuns();
        int actions = 0, falsePositive = 0;
        var byStep = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var run in runs)
        {
            byStep[run.Step.ToString()] = byStep.GetValueOrDefault(run.Step.ToString()) + 1;
            bool acted = !run.DryRun && run.History.Any(h => h.Step is RemediationStep.Cordon or RemediationStep.Act);
            if (!acted)
            {
                continue;
            }

            actions++;
            if (!_diagnoses.TryGetValue(run.DiagnosisId, out var d) || !d.Findings.Any(x => _matchedFindings.Contains(x.Id)))
            {
                falsePositive++;
            }
        }

        int detected = 0, missedFatal = 0, missedOther = 0, undecided = 0;
        var missed = new List<string>();
        foreach (var score in _faults)
        {
            var f = Current(score);
            if (score.DetectedAt is not null)
            {
                detected++;
            }
            else if (end - f.OnsetAt < MissHorizon)
            {
                undecided++;
            }
            else if (f.Fatal)
            {
                missedFatal++;
                missed.Add($"{f.Id} {f.Kind} {f.Cause} on {f.Target} at {f.OnsetAt:O} (fatal)");
            }
            else
            {
                missedOther++;
            }
        }

        static IEnumerable<double> Seconds(IEnumerable<FaultScore> scores, Func<FaultScore, DateTimeOffset?> at) =>
            scores.Where(s => at(s) is not null).Select(s => (at(s)!.Value - s.Fault.OnsetAt).TotalSeconds);

        var mitigable = _faults.Where(s => s.Mitigable).ToList();
        var byKind = new SortedDictionary<string, KindScore>(StringComparer.Ordinal);
        foreach (var group in _faults.GroupBy(s => s.Fault.Kind.ToString()))
        {
            byKind[group.Key] = new KindScore(
                group.Count(),
                group.Count(s => s.DetectedAt is not null),
                Percentiles.Of(Seconds(group, s => s.DetectedAt)),
                Percentiles.Of(Seconds(group.Where(s => s.Mitigable), s => s.MitigatedAt)),
                Percentiles.Of(Seconds(group, s => s.RepairedAt)));
        }

        return new HealthSummary(
            _faults.Count,
            detected,
            missedFatal,
            missedOther,
            undecided,
            Percentiles.Of(Seconds(_faults, s => s.DetectedAt)),
            Percentiles.Of(Seconds(mitigable, s => s.MitigatedAt)),
            Percentiles.Of(Seconds(mitigable.Where(s => s.Fault.Scope == FaultScope.Gpu && s.Fault.AffectedGpus.Count == 1), s => s.MitigatedAt)),
            Percentiles.Of(Seconds(_faults, s => s.RepairedAt)),
            actions,
            falsePositive,
            BudgetExceeded + engine.BudgetExceededCount,
            Math.Round(_twin.Synthetic.GpuSecondsLost / 3600.0, 2),
            _findings,
            _findings - _matchedFindings.Count,
            new SortedDictionary<string, int>(_bySuspect, StringComparer.Ordinal),
            byStep,
            pager.Pages.Count,
            [.. engine.OpenBreakers.Order(StringComparer.Ordinal)],
            audit.Count,
            _twin.Synthetic.Restarted,
            byKind,
            missed)
        {
            Faults = [.. _faults.Select(Outcome)],
        };
    }

    private FaultOutcome Outcome(FaultScore score)
    {
        var f = score.Fault;
        double? After(DateTimeOffset? at) => at is { } t ? Math.Round((t - f.OnsetAt).TotalSeconds, 1) : null;
        return new FaultOutcome(
            f.Id, f.Kind.ToString(), f.Cause.ToString(), f.Target, f.OnsetAt, f.Fatal, score.DetectedBy,
            After(score.DetectedAt), score.Mitigable ? After(score.MitigatedAt) : null, f.Fatal ? After(score.RepairedAt) : null);
    }

    // Faults are appended to the ground truth as the twin injects them: index the new ones.
    private void Catch()
    {
        var truth = _twin.GroundTruth;
        var state = _twin.State;
        for (int i = _faults.Count; i < truth.Count; i++)
        {
            var f = truth[i];
            var score = new FaultScore(i, f);
            foreach (var gpu in f.AffectedGpus)
            {
                int g = state.GpuIndex(gpu);
                score.HadWork |= state.Owner[g] != TwinState.Free;
                Index(_byGpu, gpu.Value, score);
            }

            foreach (var node in f.AffectedNodes)
            {
                Index(_byNode, node.Value, score);
            }

            // A fault that crashed work at its onset has already freed the GPUs it hit: its interrupted jobs say so.
            score.HadWork |= _twin.Synthetic.WorkHitByFault.ContainsKey(f.Id);

            _byTarget.TryAdd(f.Target, score);
            _faults.Add(score);
            _open.Add(score);
        }
    }

    private static void Index(Dictionary<string, List<FaultScore>> index, string key, FaultScore score)
    {
        if (!index.TryGetValue(key, out var list))
        {
            index[key] = list = [];
        }

        list.Add(score);
    }

    private IEnumerable<FaultScore> Candidates(Finding finding)
    {
        string id = finding.Component.Id;
        switch (finding.Component.Kind)
        {
            case ComponentKind.Gpu:
                return _byGpu.GetValueOrDefault(id) ?? [];
            case ComponentKind.Node:
                return _byNode.GetValueOrDefault(id) ?? [];
            case ComponentKind.Port:
            {
                // A port finding is explained by that port's fault or by a switch above the node.
                string node = id[..Math.Max(0, id.IndexOf('/', StringComparison.Ordinal))];
                var own = _byTarget.TryGetValue(id, out var port) ? [port] : Array.Empty<FaultScore>();
                var above = (_byNode.GetValueOrDefault(node) ?? []).Where(s => s.Fault.Scope == FaultScope.Switch);
                return own.Concat(above);
            }

            case ComponentKind.Job:
                return _byWork.TryGetValue(finding.Work, out var job) ? [job] : [];
            default:
                return _byTarget.TryGetValue(id, out var target) ? [target] : [];
        }
    }

    // The ground truth replaces a fault's record when it clears: read the latest.
    private InjectedFault Current(FaultScore score) => _twin.GroundTruth[score.TruthIndex];

    private bool Mitigated(FaultScore score, InjectedFault f)
    {
        var state = _twin.State;
        if (_twin.Synthetic.WorkHitByFault.TryGetValue(f.Id, out var work) && work.Pending > 0)
        {
            return false;
        }

        if (!f.IsActive)
        {
            return true;
        }

        switch (f.Scope)
        {
            case FaultScope.Gpu when f.Fatal:
                return f.AffectedGpus.All(gpu => GpuFenced(state.GpuIndex(gpu)));
            case FaultScope.Gpu:
                // A degradation is mitigated once no work runs on the degraded GPU.
                return f.AffectedGpus.All(gpu => state.Owner[state.GpuIndex(gpu)] == TwinState.Free || GpuFenced(state.GpuIndex(gpu)));
            case FaultScope.Node:
                return f.AffectedNodes.All(node => NodeFenced(state.NodeIndex(node)));
            case FaultScope.Port:
                return f.AffectedNodes.All(node => NodeFenced(state.NodeIndex(node)));
            default:
                return score.Named is not null;
        }
    }

    private bool GpuFenced(int g)
    {
        var state = _twin.State;
        int n = state.Gpus.NodeOf[g];
        return state.GpuCordoned[g] || NodeFenced(n) || (state.Gpus.Flags[g] & (GpuFlags.InRemediation | GpuFlags.Quarantined)) != 0;
    }

    private bool NodeFenced(int n) => _twin.State.NodeCordoned[n] || _twin.State.NodeRebooting[n];

    private bool Repaired(InjectedFault f)
    {
        if (f.IsActive)
        {
            return false;
        }

        var state = _twin.State;
        return f.Scope switch
        {
            FaultScope.Gpu => f.AffectedGpus.All(gpu => !GpuFenced(state.GpuIndex(gpu)) && state.CanRun(state.GpuIndex(gpu))),
            FaultScope.Switch or FaultScope.Pdu => true,
            _ => f.AffectedNodes.All(node => !NodeFenced(state.NodeIndex(node)) && state.NodeAlive[state.NodeIndex(node)]),
        };
    }

    private bool SentToRma(InjectedFault f)
    {
        foreach (var node in f.AffectedNodes)
        {
            var runs = _store.ListRunsForNodeAsync(node.Value, f.OnsetAt, CancellationToken.None).GetAwaiter().GetResult();
            if (runs.Any(r => r.Step == RemediationStep.Rma && Covers(r, f)))
            {
                return true;
            }
        }

        return false;
    }

    private static bool Covers(RemediationRun run, InjectedFault f) =>
        f.Scope == FaultScope.Gpu
            ? f.AffectedGpus.All(g => run.Gpus.Contains(g.Value) || run.Nodes.Contains(g.Node.Value))
            : f.AffectedNodes.All(n => run.Nodes.Contains(n.Value));

    private List<RemediationRun> AllRuns()
    {
        var runs = new List<RemediationRun>();
        string? cursor = null;
        do
        {
            var page = _store.ListRunsAsync(new RunQuery(Limit: 1000, Cursor: cursor), CancellationToken.None).GetAwaiter().GetResult();
            runs.AddRange(page.Items);
            cursor = page.NextCursor;
        }
        while (cursor is not null);
        return runs;
    }

    private sealed class FaultScore(int truthIndex, InjectedFault fault)
    {
        public int TruthIndex { get; } = truthIndex;

        public InjectedFault Fault { get; } = fault;

        public bool HadWork { get; set; }

        public DateTimeOffset? DetectedAt { get; set; }

        /// <summary>The first finding that pointed at what this fault broke: the link from ground truth to detection.</summary>
        public string? DetectedBy { get; set; }

        public DateTimeOffset? Named { get; set; }

        public DateTimeOffset? MitigatedAt { get; set; }

        public DateTimeOffset? RepairedAt { get; set; }

        /// <summary>Mitigation is scored for faults that break hardware or hit work; an idle GPU's passing slowdown has nothing to mitigate.</summary>
        public bool Mitigable => Fault.Fatal || HadWork;
    }
}

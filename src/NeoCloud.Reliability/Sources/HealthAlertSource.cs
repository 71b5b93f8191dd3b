using NeoCloud.Health.Correlation;
using NeoCloud.Health.Findings;
using NeoCloud.Health.Remediation;
using NeoCloud.Health.Store;
using NeoCloud.Reliability.Alerting;
using NeoCloud.Reliability.Incidents;

namespace NeoCloud.Reliability.Sources;

/// <summary>
/// Turns the Health context's diagnoses into alerts, one per diagnosis, that fire while the problem stands: until the
/// remediation run acting on it returns or replaces the hardware, until a later diagnosis supersedes it, or — when no run
/// acts on it — until its findings have been quiet for <see cref="HealthAlertOptions.ResolveWithoutRun"/>. Each alert
/// carries the diagnosis and first finding (so incidents link them), the node, GPU, port, switch or PDU, the tenant of the
/// work it hit, and its run's progress as annotations (so incidents follow the automation). Not thread-safe: one loop owns it.
/// </summary>
public sealed class HealthAlertSource(HealthAlertOptions? options = null)
{
    private readonly HealthAlertOptions _options = options ?? new HealthAlertOptions();
    private readonly Dictionary<string, Tracked> _byDiagnosis = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>> _diagnosesOfRun = new(StringComparer.Ordinal);

    /// <summary>Diagnoses tracked (firing, or ended within <see cref="HealthAlertOptions.KeepResolved"/>).</summary>
    public int Count => _byDiagnosis.Count;

    /// <summary>
    /// Takes a diagnosis and the run remediation created for it or merged it into (null when nothing acts on the hardware).
    /// A diagnosis seen before only gains the run; one that supersedes earlier diagnoses ends their alerts, since its own
    /// alert now speaks for the same trouble.
    /// </summary>
    public void Observe(Diagnosis diagnosis, RemediationRun? run)
    {
        ArgumentNullException.ThrowIfNull(diagnosis);
        if (!_byDiagnosis.TryGetValue(diagnosis.Id, out var tracked))
        {
            tracked = new Tracked(diagnosis, LabelsOf(diagnosis), Onset(diagnosis), LastFinding(diagnosis));
            _byDiagnosis.Add(diagnosis.Id, tracked);
            foreach (string earlier in diagnosis.Supersedes)
            {
                if (_byDiagnosis.TryGetValue(earlier, out var old) && old.EndsAt is null)
                {
                    old.EndsAt = diagnosis.At;
                    old.EndReason = $"superseded by {diagnosis.Id}";
                }
            }
        }

        if (run is not null)
        {
            Link(tracked, run);
        }
    }

    /// <summary>Takes a newer version of a run (a step forward, or its end); runs nothing here links to are ignored.</summary>
    public void Observe(RemediationRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (!_diagnosesOfRun.TryGetValue(run.Id, out var diagnoses))
        {
            return;
        }

        foreach (string id in diagnoses)
        {
            if (_byDiagnosis.TryGetValue(id, out var tracked))
            {
                Link(tracked, run);
            }
        }
    }

    /// <summary>Reads the unfinished runs this source follows from the Health store and takes their latest versions.</summary>
    public async Task SyncRunsAsync(IHealthStore store, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        var open = _byDiagnosis.Values
            .Where(t => t.Run is { IsFinished: false })
            .Select(t => t.Run!.Id)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        foreach (string runId in open)
        {
            if (await store.GetRunAsync(runId, cancellationToken) is { } run)
            {
                Observe(run);
            }
        }
    }

    /// <summary>
    /// The alerts as they stand at <paramref name="now"/>: those firing, and those that ended within the last
    /// <see cref="HealthAlertOptions.KeepResolved"/> (with their end). Older ones are forgotten.
    /// </summary>
    public IReadOnlyList<Alert> Alerts(DateTimeOffset now)
    {
        var alerts = new List<Alert>(_byDiagnosis.Count);
        List<string>? forget = null;
        foreach (var (id, tracked) in _byDiagnosis)
        {
            var endsAt = EndOf(tracked);
            if (endsAt is { } end && end + _options.KeepResolved <= now)
            {
                (forget ??= []).Add(id);
                continue;
            }

            DateTimeOffset? shownEnd = endsAt is { } e && e <= now ? e : null;
            if (tracked.Shown is not { } shown || shown.EndsAt != shownEnd || tracked.ShownRunVersion != (tracked.Run?.Id, tracked.Run?.Version))
            {
                // Built again only when something it says changed: the loop asks every step, and most steps change nothing.
                tracked.Shown = ToAlert(tracked, shownEnd);
                tracked.ShownRunVersion = (tracked.Run?.Id, tracked.Run?.Version);
            }

            alerts.Add(tracked.Shown);
        }

        foreach (string id in forget ?? [])
        {
            var tracked = _byDiagnosis[id];
            _byDiagnosis.Remove(id);
            if (tracked.Run is { } run && _diagnosesOfRun.TryGetValue(run.Id, out var linked))
            {
                linked.Remove(id);
                if (linked.Count == 0)
                {
                    _diagnosesOfRun.Remove(run.Id);
                }
            }
        }

        return alerts;
    }

    /// <summary>The labels an alert for this diagnosis carries (its identity): what failed, where, how bad, and for whom.</summary>
    public IReadOnlyDictionary<string, string> LabelsOf(Diagnosis diagnosis)
    {
        ArgumentNullException.ThrowIfNull(diagnosis);
        var labels = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            [IncidentLabels.Diagnosis] = diagnosis.Id,
            [IncidentLabels.Severity] = SeverityOf(diagnosis),
        };
        if (diagnosis.Findings.Count > 0)
        {
            labels[IncidentLabels.Finding] = diagnosis.Findings[0].Id;
            labels[HealthAlertNames.CodeLabel] = diagnosis.Findings[0].Code;
        }

        string id = diagnosis.Suspect.Id;
        string? node = diagnosis.Nodes.Count == 1 ? diagnosis.Nodes[0] : null;
        switch (diagnosis.Suspect.Kind)
        {
            case ComponentKind.Gpu:
                labels["alertname"] = HealthAlertNames.GpuFault;
                labels[TopologyCorrelation.GpuLabel] = id;
                node ??= BeforeSlash(id);
                break;
            case ComponentKind.Node:
                labels["alertname"] = diagnosis.Findings.Any(f => f.Code == HealthAlertNames.HeartbeatMissingCode)
                    ? HealthAlertNames.NodeDown
                    : HealthAlertNames.NodeFault;
                node = id;
                break;
            case ComponentKind.Port:
                labels["alertname"] = HealthAlertNames.PortFault;
                labels[HealthAlertNames.PortLabel] = id;
                node ??= BeforeSlash(id);
                break;
            case ComponentKind.Switch:
                labels["alertname"] = HealthAlertNames.SwitchDown;
                labels[HealthAlertNames.SwitchLabel] = id;
                node = null;
                break;
            case ComponentKind.Pdu:
                labels["alertname"] = HealthAlertNames.PduDown;
                labels[HealthAlertNames.PduLabel] = id;
                node = null;
                break;
            default:
                // A job's own error that hit one node (NaNs after an ECC storm there, say) keeps that node, so it joins the
                // hardware's incident; one spread over many nodes names none.
                labels["alertname"] = HealthAlertNames.JobFault;
                labels[HealthAlertNames.JobLabel] = id;
                break;
        }

        if (node is not null)
        {
            labels[IncidentLabels.Node] = node;
        }

        long work = diagnosis.Work != 0 ? diagnosis.Work : diagnosis.Findings.Select(f => f.Work).FirstOrDefault(w => w != 0);
        if (work != 0 && _options.OwnerOfWork?.Invoke(work) is { } owner)
        {
            labels[IncidentLabels.Tenant] = owner.Tenant;
            if (!string.IsNullOrEmpty(owner.LineOfBusiness))
            {
                labels[IncidentLabels.LineOfBusiness] = owner.LineOfBusiness;
            }
        }

        return labels;
    }

    /// <summary>
    /// A facility (switch, PDU) takes many nodes down: critical. A node that cannot be trusted pages. A GPU or a port
    /// that automation fences on its own is a ticket-level warning, and what is not fatal is information.
    /// </summary>
    private static string SeverityOf(Diagnosis diagnosis) => diagnosis.Suspect.Kind switch
    {
        _ when !diagnosis.Fatal => "info",
        ComponentKind.Switch or ComponentKind.Pdu => "critical",
        ComponentKind.Node => "page",
        ComponentKind.Job => "info",
        _ => "warning",
    };

    private void Link(Tracked tracked, RemediationRun run)
    {
        if (tracked.Run is { } old && old.Id != run.Id && _diagnosesOfRun.TryGetValue(old.Id, out var previous))
        {
            previous.Remove(tracked.Diagnosis.Id);
        }

        if (tracked.Run is { } known && known.Id == run.Id && known.Version > run.Version)
        {
            return;
        }

        tracked.Run = run;
        if (!_diagnosesOfRun.TryGetValue(run.Id, out var list))
        {
            list = [];
            _diagnosesOfRun.Add(run.Id, list);
        }

        if (!list.Contains(tracked.Diagnosis.Id))
        {
            list.Add(tracked.Diagnosis.Id);
        }
    }

    private DateTimeOffset? EndOf(Tracked tracked)
    {
        if (tracked.EndsAt is { } superseded)
        {
            return superseded;
        }

        return tracked.Run switch
        {
            // Refused (breaker, dry run) or cancelled by a person: nothing fixed it, so it lasts as long as unattended trouble.
            { Step: RemediationStep.Refused or RemediationStep.Cancelled } => Later(tracked.LastFindingAt + _options.ResolveWithoutRun, tracked.Run.FinishedAt),
            { IsFinished: true, FinishedAt: { } finished } => finished,
            { IsFinished: false } => null,
            _ => tracked.LastFindingAt + _options.ResolveWithoutRun,
        };
    }

    private static DateTimeOffset Later(DateTimeOffset a, DateTimeOffset? b) => b is { } other && other > a ? other : a;

    private static Alert ToAlert(Tracked tracked, DateTimeOffset? endsAt)
    {
        var diagnosis = tracked.Diagnosis;
        var annotations = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["summary"] = $"{diagnosis.Suspect}: {diagnosis.Findings.FirstOrDefault()?.Summary ?? diagnosis.Reasoning}",
            ["description"] = diagnosis.Reasoning,
            ["remedy"] = diagnosis.Remedy.ToString(),
            ["confidence"] = diagnosis.Confidence.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture),
        };
        if (tracked.Run is { } run)
        {
            annotations[HealthAlertNames.RunAnnotation] = run.Id;
            annotations[HealthAlertNames.RunStepAnnotation] = run.Step.ToString();
            bool fenced = !run.DryRun && run.Step is RemediationStep.Act or RemediationStep.Verify or RemediationStep.Returned or RemediationStep.Rma;
            annotations[HealthAlertNames.MitigatedAnnotation] = fenced ? "true" : "false";
        }

        if (tracked.EndReason is { } why)
        {
            annotations["ended"] = why;
        }

        return new Alert(tracked.Labels, tracked.Onset, endsAt, annotations);
    }

    private static DateTimeOffset Onset(Diagnosis diagnosis) =>
        diagnosis.Findings.Count == 0 ? diagnosis.At : diagnosis.Findings.Min(f => f.FirstSeenAt);

    private static DateTimeOffset LastFinding(Diagnosis diagnosis) =>
        diagnosis.Findings.Count == 0 ? diagnosis.At : diagnosis.Findings.Max(f => f.DetectedAt);

    private static string BeforeSlash(string id)
    {
        int slash = id.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? id : id[..slash];
    }

    private sealed class Tracked(Diagnosis diagnosis, IReadOnlyDictionary<string, string> labels, DateTimeOffset onset, DateTimeOffset lastFindingAt)
    {
        public Diagnosis Diagnosis { get; } = diagnosis;

        public IReadOnlyDictionary<string, string> Labels { get; } = labels;

        public DateTimeOffset Onset { get; } = onset;

        public DateTimeOffset LastFindingAt { get; } = lastFindingAt;

        public RemediationRun? Run { get; set; }

        public DateTimeOffset? EndsAt { get; set; }

        public string? EndReason { get; set; }

        /// <summary>The alert last handed out, reused while its end and its run's version stay the same.</summary>
        public Alert? Shown { get; set; }

        public (string? Id, long? Version) ShownRunVersion { get; set; }
    }
}

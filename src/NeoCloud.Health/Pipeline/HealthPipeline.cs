using NeoCloud.Health.Detection;
using NeoCloud.Health.Correlation;
using NeoCloud.Health.Findings;
using NeoCloud.Health.Remediation;
using NeoCloud.Health.Signals;
using NeoCloud.Health.Store;
using NeoCloud.Kernel.Ids;

namespace NeoCloud.Health.Pipeline;

/// <summary>
/// Flow 1 of ARCHITECTURE §4 for one scrape round: signals → detectors → findings (stored) → diagnosis (stored) →
/// remediation proposals → every run advanced. The host runs it after each telemetry round; the headless simulation
/// after each tick of the twin. One pipeline belongs to one loop: it is not thread-safe.
/// </summary>
public sealed class HealthPipeline(DetectionEngine detection, Diagnoser diagnoser, RemediationEngine remediation, IHealthStore store) : IFindingSink
{
    private static readonly IReadOnlyList<JobReport> NoReports = [];
    private readonly List<Finding> _raised = [];
    private readonly List<Diagnosis> _diagnoses = [];

    public RemediationEngine Remediation => remediation;

    public IHealthStore Store => store;

    /// <summary>Raised after each round that found or decided something, on the pipeline's thread.</summary>
    public event EventHandler<HealthRound>? RoundCompleted;

    private static readonly Dictionary<string, RemediationRun> EmptyRuns = new(StringComparer.Ordinal);

    void IFindingSink.Raise(Finding finding) => _raised.Add(finding);

    /// <summary>Runs one round over <paramref name="frame"/> and the reports jobs sent since the last round.</summary>
    public async Task<HealthRound> RoundAsync(SignalFrame frame, IReadOnlyList<JobReport>? reports, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(frame);
        _raised.Clear();
        _diagnoses.Clear();
        Array.Clear(frame.NodeInMaintenance);
        foreach (string node in remediation.NodesInMaintenance)
        {
            if (frame.Topology.TryGetNodeIndex(new NodeId(node), out int index))
            {
                frame.NodeInMaintenance[index] = true;
            }
        }

        detection.Observe(frame, this);
        foreach (var report in reports ?? NoReports)
        {
            detection.ObserveJobReport(report, this);
        }

        if (_raised.Count > 0)
        {
            // Stored before anything acts on them: a crash after this point re-diagnoses nothing twice (ids are stable).
            await store.AppendFindingsAsync([.. _raised], cancellationToken);
            foreach (var finding in _raised)
            {
                diagnoser.Add(finding);
            }
        }

        diagnoser.Decide(frame, _diagnoses);
        Dictionary<string, RemediationRun>? runs = null;
        foreach (var diagnosis in _diagnoses)
        {
            await store.AppendDiagnosisAsync(diagnosis, cancellationToken);
            if (await remediation.ProposeAsync(diagnosis, cancellationToken) is { } run)
            {
                (runs ??= new(StringComparer.Ordinal))[diagnosis.Id] = run;
            }
        }

        await remediation.AdvanceAsync(cancellationToken);
        if (_raised.Count == 0 && _diagnoses.Count == 0)
        {
            return new HealthRound(frame.At, [], []);
        }

        var round = new HealthRound(frame.At, [.. _raised], [.. _diagnoses])
        {
            Runs = runs ?? (IReadOnlyDictionary<string, RemediationRun>)EmptyRuns,
        };
        RoundCompleted?.Invoke(this, round);
        return round;
    }
}

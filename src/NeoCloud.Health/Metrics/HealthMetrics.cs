using System.Diagnostics.Metrics;
using NeoCloud.Health.Correlation;
using NeoCloud.Health.Findings;
using NeoCloud.Health.Pipeline;
using NeoCloud.Health.Remediation;

namespace NeoCloud.Health.Metrics;

/// <summary>
/// The Health context's instruments on the <c>NeoCloud.Health</c> meter (published as <c>neocloud_health_*</c> on /metrics):
/// findings and diagnoses as they are made, remediation steps as runs reach them, active runs, open breakers, pages,
/// detection delay and the GPU-hours lost to evictions. Fed by the host's health loop: <see cref="Round"/> after each
/// pipeline round, <see cref="Runs"/> with the runs it polled, the pager and the workload mover as they act.
/// </summary>
public sealed class HealthMetrics : IDisposable
{
    public const string MeterName = "NeoCloud.Health";

    /// <summary>How many runs' last steps are remembered; older ones are forgotten (their steps were counted already).</summary>
    private const int RunMemory = 10_000;

    private readonly Meter _meter = new(MeterName);
    private readonly Counter<long> _findings;
    private readonly Counter<long> _diagnoses;
    private readonly Counter<long> _steps;
    private readonly Counter<long> _pages;
    private readonly Counter<double> _gpuHoursLost;
    private readonly Histogram<double> _detectionDelay;
    private readonly Dictionary<string, RemediationStep> _lastStep = new(StringComparer.Ordinal);
    private readonly Queue<string> _runOrder = new();
    private readonly Lock _gate = new();
    private int _active;
    private int _breakersOpen;

    public HealthMetrics()
    {
        _findings = _meter.CreateCounter<long>("findings_total", description: "Findings raised, by fault code and severity.");
        _diagnoses = _meter.CreateCounter<long>("diagnoses_total", description: "Diagnoses made, by the kind of component blamed.");
        _steps = _meter.CreateCounter<long>("remediation_steps_total", description: "Remediation runs that reached a step, by step.");
        _pages = _meter.CreateCounter<long>("pages_total", description: "Pages sent to the on-call person, by severity.");
        _gpuHoursLost = _meter.CreateCounter<double>("gpu_hours_lost_total", description: "GPU-hours of work lost since the last checkpoint when remediation evicted it.");
        _detectionDelay = _meter.CreateHistogram<double>("detection_delay_seconds", unit: "s", description: "Time from a finding's first sample to its detection (debouncing included).");
        _meter.CreateObservableGauge("remediations_active", () => Volatile.Read(ref _active), description: "Remediation runs not finished.");
        _meter.CreateObservableGauge("breakers_open", () => Volatile.Read(ref _breakersOpen), description: "Breakers open now (automatic actions stopped in their scope).");
    }

    /// <summary>This instance's meter (tests listen to it alone: the meter name is shared by every host in a process).</summary>
    internal Meter Meter => _meter;

    /// <summary>Counts what one pipeline round raised and decided.</summary>
    public void Round(HealthRound round)
    {
        ArgumentNullException.ThrowIfNull(round);
        foreach (var finding in round.Findings)
        {
            Finding(finding);
        }

        foreach (var diagnosis in round.Diagnoses)
        {
            Diagnosis(diagnosis);
        }
    }

    public void Finding(Finding finding)
    {
        ArgumentNullException.ThrowIfNull(finding);
        _findings.Add(1, new KeyValuePair<string, object?>("code", finding.Code), new KeyValuePair<string, object?>("severity", Name(finding.Severity)));
        _detectionDelay.Record(Math.Max(0, (finding.DetectedAt - finding.FirstSeenAt).TotalSeconds), new KeyValuePair<string, object?>("code", finding.Code));
    }

    public void Diagnosis(Diagnosis diagnosis)
    {
        ArgumentNullException.ThrowIfNull(diagnosis);
        _diagnoses.Add(1, new KeyValuePair<string, object?>("suspect", Name(diagnosis.Suspect.Kind)));
    }

    /// <summary>
    /// Takes the runs polled now (active ones and any recently finished): each run whose step differs from the one last
    /// seen counts once for its new step, so a step is counted once however often it is polled. A run that passes through
    /// several steps between two polls counts only the step it is in when polled.
    /// </summary>
    /// <returns>How many step changes were counted.</returns>
    public int Runs(IEnumerable<RemediationRun> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        int counted = 0, active = 0;
        lock (_gate)
        {
            foreach (var run in runs)
            {
                if (!run.IsFinished)
                {
                    active++;
                }

                if (_lastStep.TryGetValue(run.Id, out var last) && last == run.Step)
                {
                    continue;
                }

                if (!_lastStep.ContainsKey(run.Id))
                {
                    _runOrder.Enqueue(run.Id);
                    if (_runOrder.Count > RunMemory)
                    {
                        _lastStep.Remove(_runOrder.Dequeue());
                    }
                }

                _lastStep[run.Id] = run.Step;
                _steps.Add(1, new KeyValuePair<string, object?>("step", Name(run.Step)));
                counted++;
            }
        }

        Volatile.Write(ref _active, active);
        return counted;
    }

    public void BreakersOpen(int count) => Volatile.Write(ref _breakersOpen, Math.Max(0, count));

    public void Paged(OnCallPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        _pages.Add(1, new KeyValuePair<string, object?>("severity", Name(page.Severity)));
    }

    public void GpuHoursLost(double hours)
    {
        if (hours > 0)
        {
            _gpuHoursLost.Add(hours);
        }
    }

    /// <summary>The label spelling of an enum value: lower case with dashes (<c>awaiting-approval</c>).</summary>
    public static string Name<T>(T value) where T : struct, Enum
    {
        string text = value.ToString();
        var result = new System.Text.StringBuilder(text.Length + 4);
        for (int i = 0; i < text.Length; i++)
        {
            if (char.IsUpper(text[i]) && i > 0)
            {
                result.Append('-');
            }

            result.Append(char.ToLowerInvariant(text[i]));
        }

        return result.ToString();
    }

    public void Dispose() => _meter.Dispose();
}

using Microsoft.Extensions.Logging.Abstractions;
using NeoCloud.Health.Catalog;
using NeoCloud.Health.Correlation;
using NeoCloud.Health.Detection;
using NeoCloud.Health.Pipeline;
using NeoCloud.Health.Remediation;
using NeoCloud.Health.Signals;
using NeoCloud.Health.Store;
using NeoCloud.Simulator.Reliability;
using NeoCloud.Simulator.Twin;
using NeoCloud.Simulator.Workload;

namespace NeoCloud.Simulator.SelfHealing;

/// <summary>
/// The twin and NeoCloud's whole health pipeline in one loop, on virtual time: after every tick the fleet's signals
/// are read (one scrape round), detectors raise findings, diagnosis blames a part, remediation workflows act through the
/// twin's actuator, and the scorer holds each step against the twin's ground truth. What a host does with real
/// telemetry and real actuators, run headless and as fast as the machine allows.
/// </summary>
public sealed class SelfHealingLoop
{
    private readonly FleetTwin _twin;
    private readonly SignalFrame _frame;
    private readonly HealthScorer _scorer;
    private readonly List<JobReport> _reports = [];
    private int _signalsSeen;

    /// <param name="twin">
    /// A twin whose placement does not see faults and whose interrupted work restarts
    /// (<see cref="SimulationOptions.PlacementSeesFaults"/> false, <see cref="SimulationOptions.RestartInterruptedWork"/>
    /// true): otherwise the twin would heal itself and there would be nothing to measure.
    /// </param>
    public SelfHealingLoop(FleetTwin twin, SelfHealingSettings? settings = null, IHealthStore? store = null)
    {
        ArgumentNullException.ThrowIfNull(twin);
        if (twin.Options.PlacementSeesFaults || !twin.Options.RestartInterruptedWork)
        {
            throw new ArgumentException(
                "A self-healing run needs a twin whose placement does not see faults and whose interrupted work restarts "
                + "(PlacementSeesFaults = false, RestartInterruptedWork = true).", nameof(twin));
        }

        _twin = twin;
        Settings = settings ?? new SelfHealingSettings();
        Store = store ?? new InMemoryHealthStore();
        Fleet = new TwinRemediationFleet(twin);
        var topology = twin.Topology;
        int rails = topology.Nodes.Count == 0 ? 1 : topology.Nodes.Max(n => twin.RailsOf(n.Id));
        _frame = new SignalFrame(topology, Math.Max(1, rails));
        Engine = new RemediationEngine(
            Store, Fleet, new TwinWorkloadMover(twin), new SteppedTwinActuator(twin), Pager, Audit, topology, Settings.Policy, twin.Clock,
            NullLogger<RemediationEngine>.Instance);
        Pipeline = new HealthPipeline(
            new DetectionEngine(topology, FaultCatalog.Default, Settings.Detection),
            new Diagnoser(topology, FaultCatalog.Default, Settings.Diagnosis),
            Engine,
            Store);
        _scorer = new HealthScorer(twin, Fleet, Settings.Policy, Store);
        Reliability = new TwinReliability(twin, Store);
    }

    public SelfHealingSettings Settings { get; }

    public IHealthStore Store { get; }

    public HealthPipeline Pipeline { get; }

    public RemediationEngine Engine { get; }

    public TwinRemediationFleet Fleet { get; }

    public RecordingPager Pager { get; } = new();

    public RecordingAuditTrail Audit { get; } = new();

    /// <summary>Alerts, SLOs and incidents over the same rounds (the Reliability context on the twin).</summary>
    internal TwinReliability Reliability { get; }

    /// <summary>One tick of the twin, then one health round over what a scrape would read now.</summary>
    public void Tick()
    {
        _twin.Tick();
        _twin.ReadSignals(_frame);
        _reports.Clear();
        var signals = _twin.JobSignals;
        for (; _signalsSeen < signals.Count; _signalsSeen++)
        {
            var s = signals[_signalsSeen];
            long work = s.JobId + 1L;
            _scorer.NoteReport(work, s.At, s.Kind);
            var kind = s.Kind == JobSignal.NumericAnomaly ? JobReportKind.NumericAnomaly : JobReportKind.CollectiveTimeout;
            _reports.Add(new JobReport(s.At, kind, work, TwinWorkloadMover.Name(s.JobId), s.Gpus, s.Suspect, s.Message));
        }

        // Every store and port the loop uses completes synchronously; actuations are polled by the engine, never awaited here.
        var round = Pipeline.RoundAsync(_frame, _reports, CancellationToken.None).GetAwaiter().GetResult();
        _scorer.Observe(round);
        _scorer.AfterTick();
        Reliability.AfterRound(round);
    }

    /// <summary>Ticks until at least <paramref name="duration"/> of virtual time has passed.</summary>
    public void RunFor(TimeSpan duration, CancellationToken cancellationToken)
    {
        var end = _twin.Now + duration;
        while (_twin.Now < end)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Tick();
        }
    }

    /// <summary>The scores so far against the twin's ground truth.</summary>
    public HealthSummary Summarize() => _scorer.Summarize(Engine, Pager, Audit);

    /// <summary>The alerts and incidents so far against the twin's ground truth.</summary>
    public AlertSummary SummarizeAlerts() =>
        new AlertScorer(_twin.Topology).Score(
            _twin.GroundTruth,
            Reliability.Raised,
            Reliability.Engine.Incidents.Incidents,
            Reliability.Slos.Objectives,
            id => Reliability.Diagnoses.TryGetValue(id, out var d) ? [.. d.Findings.Select(f => f.Id)] : [],
            _scorer.FaultOfFinding,
            _twin.Options.Start,
            _twin.Now);
}

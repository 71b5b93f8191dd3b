using NeoCloud.Fleet.Topology;
using NeoCloud.Health.Catalog;
using NeoCloud.Health.Correlation;
using NeoCloud.Health.Detection;
using NeoCloud.Health.Metrics;
using NeoCloud.Health.Pipeline;
using NeoCloud.Health.Remediation;
using NeoCloud.Health.Signals;
using NeoCloud.Health.Store;
using NeoCloud.Kernel.Audit;
using NeoCloud.Workloads.Control;

namespace NeoCloud.Server.Health;

/// <summary>
/// The host's health context, started once: the pipeline (detection → diagnosis → remediation) over the fleet, its
/// store, pager and metrics. The engines are not thread-safe, so every call into them (a round, an approval, a cancel,
/// an uncordon) goes through <see cref="ExclusiveAsync{T}"/>. When the pipeline cannot be built (no health store, an
/// engine that refuses its configuration), <see cref="Unavailable"/> says why and the API answers 503.
/// </summary>
public sealed class HealthRuntime
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Func<HealthPipeline> _build;
    private readonly JobController _jobs;
    private readonly ILogger<HealthRuntime> _logger;
    private readonly JobReportInbox? _inbox;
    private readonly List<JobReport> _reports = [];
    private HealthPipeline? _pipeline;

    public HealthRuntime(
        Func<HealthPipeline> build, IHealthStore? store, JobController jobs, WorkloadMoverPort mover, LoggingPager pager,
        HealthMetrics metrics, TimeProvider clock, ILogger<HealthRuntime> logger, JobReportInbox? inbox = null)
    {
        _inbox = inbox;
        _build = build;
        Store = store;
        _jobs = jobs;
        Mover = mover;
        Pager = pager;
        Metrics = metrics;
        Clock = clock;
        _logger = logger;
        Unavailable = store is null ? "no health store is registered" : "health has not started yet";
    }

    /// <summary>Builds the pipeline from the host's services: a detection engine, a diagnoser and a remediation engine over one topology.</summary>
    public static HealthPipeline BuildPipeline(
        FleetTopology topology, HealthOptions options, IHealthStore store, IRemediationFleet fleet, IWorkloadMover mover, NeoCloud.Fleet.Actuation.IHardwareActuator actuator,
        IPager pager, IAuditTrail audit, TimeProvider clock, ILogger<RemediationEngine> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(actuator);
        var catalog = FaultCatalog.Default;
        var detection = new DetectionEngine(topology, catalog, options.ToDetection());
        var diagnoser = new Diagnoser(topology, catalog, new DiagnosisOptions());
        var remediation = new RemediationEngine(store, fleet, mover, actuator, pager, audit, topology, options.ToPolicy(), clock, logger);
        return new HealthPipeline(detection, diagnoser, remediation, store);
    }

    public IHealthStore? Store { get; }

    public WorkloadMoverPort Mover { get; }

    public LoggingPager Pager { get; }

    public HealthMetrics Metrics { get; }

    /// <summary>The health clock: the twin's virtual time, as the job flow keeps it.</summary>
    public TimeProvider Clock { get; }

    /// <summary>Why health is not running, or null when it is.</summary>
    public string? Unavailable { get; private set; }

    /// <summary>Raised after every pipeline round, on the health loop's thread (the reliability loop queues them).</summary>
    public event EventHandler<HealthRound>? RoundCompleted;

    private readonly List<Func<SignalFrame, CancellationToken, Task>> _frameObservers = [];

    /// <summary>
    /// Registers work to do with every filled frame after its round (the anomaly watch reads temperatures here), awaited
    /// in the round so it sees the frame before the next collection overwrites it. Register before the host starts.
    /// </summary>
    public void OnFrame(Func<SignalFrame, CancellationToken, Task> observer)
    {
        ArgumentNullException.ThrowIfNull(observer);
        _frameObservers.Add(observer);
    }

    /// <summary>Breakers open at the last round (read without waiting for the engine).</summary>
    public IReadOnlyCollection<string> OpenBreakers { get; private set; } = [];

    /// <summary>Health stays off (configuration turned it off); <paramref name="reason"/> is what the API says.</summary>
    public void Disable(string reason) => Unavailable = reason;

    /// <summary>Builds the pipeline; false (and <see cref="Unavailable"/> set) when it cannot be.</summary>
    public bool TryStart()
    {
        if (Store is null)
        {
            return false;
        }

        try
        {
            _pipeline = _build();
            _pipeline.RoundCompleted += (_, round) =>
            {
                Metrics.Round(round);
                RoundCompleted?.Invoke(this, round);
            };
            Unavailable = null;
            return true;
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
        {
            Unavailable = $"the health pipeline could not be built: {ex.Message}";
            _logger.LogError(ex, "Health detection and remediation are off: the pipeline could not be built");
            return false;
        }
    }

    /// <summary>Runs <paramref name="call"/> on the remediation engine while no round (and no other call) runs.</summary>
    /// <exception cref="HealthUnavailableException">Health is not running.</exception>
    public async Task<T> ExclusiveAsync<T>(Func<RemediationEngine, Task<T>> call, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        var pipeline = _pipeline ?? throw new HealthUnavailableException(Unavailable ?? "health is not running");
        await _gate.WaitAsync(cancellationToken);
        try
        {
            return await call(pipeline.Remediation);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// One round over a filled frame: the work map from the running jobs' placements, the pipeline, then the runs polled
    /// for the step and active-run metrics and the breakers read. The jobs' own reports since the last round go in with it.
    /// </summary>
    public async Task<HealthRound> RoundAsync(SignalFrame frame, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(frame);
        return await ExclusiveAsync(async engine =>
        {
            await FillWorkAsync(frame, cancellationToken);
            _reports.Clear();
            _inbox?.Drain(frame, work => Mover.JobOf(work)?.Name, _reports);
            var round = await _pipeline!.RoundAsync(frame, _reports, cancellationToken);
            var active = await Store!.ListActiveRunsAsync(cancellationToken);
            var finished = await Store.ListRunsAsync(new RunQuery(Active: false, Limit: 50), cancellationToken);
            Metrics.Runs(active.Concat(finished.Items));
            OpenBreakers = [.. engine.OpenBreakers];
            Metrics.BreakersOpen(OpenBreakers.Count);
            foreach (var observer in _frameObservers)
            {
                await observer(frame, cancellationToken);
            }

            return round;
        }, cancellationToken);
    }

    private async Task FillWorkAsync(SignalFrame frame, CancellationToken cancellationToken)
    {
        Array.Clear(frame.WorkOfGpu);
        var topology = frame.Topology;
        foreach (var job in await _jobs.ListPlacedAsync(cancellationToken))
        {
            long key = Mover.Remember(job);
            foreach (var replica in job.Placement)
            {
                if (!topology.TryGetNodeIndex(replica.Node, out int node))
                {
                    continue;
                }

                int first = topology.GpuOffsets[node], count = topology.GpuOffsets[node + 1] - first;
                foreach (int gpu in replica.Gpus)
                {
                    if ((uint)gpu < (uint)count)
                    {
                        frame.WorkOfGpu[first + gpu] = key;
                    }
                }
            }
        }
    }
}

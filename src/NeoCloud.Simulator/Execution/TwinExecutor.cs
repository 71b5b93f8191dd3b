using System.Globalization;
using NeoCloud.Kernel.Ids;
using NeoCloud.Plugins.Lifecycle;
using NeoCloud.Simulator.Twin;
using NeoCloud.Simulator.Workload;
using NeoCloud.Workloads.Execution;

namespace NeoCloud.Simulator.Execution;

/// <summary>
/// The twin's executor: runs each attempt in virtual time on the GPUs it was placed on, loads those GPUs, writes
/// checkpoints at the job's interval, slows a whole gang down when one of its GPUs is a straggler, and ends the attempt
/// as infra-failed when a fault under it breaks the work. Reports are queued under the twin's lock (handlers must not do
/// I/O there) and delivered in order by <see cref="FlushAsync"/>.
/// </summary>
/// <remarks>
/// The run section's environment may hold <c>twin.fail-after</c> (a duration of work): the attempt then fails as a user error
/// at that point, which lets drills and tests exercise the failure path without any hardware fault.
/// </remarks>
public sealed class TwinExecutor : IJobExecutor
{
    /// <summary>A run-section key: fail the attempt as a user error after this much work (e.g. <c>00:10:00</c>).</summary>
    public const string FailAfterKey = "twin.fail-after";

    /// <summary>How much slower a gang runs while one of its GPUs is a straggler (the twin's straggler clock factor).</summary>
    public const double StragglerSpeed = 0.6;

    private readonly FleetTwin _twin;
    private readonly Dictionary<(JobId Job, int Attempt), Run> _runs = [];
    private readonly int[] _milliOnGpu;
    private readonly Queue<Report> _reports = new();
    private readonly SemaphoreSlim _flush = new(1, 1);
    private IExecutionReporter? _reporter;

    public TwinExecutor(FleetTwin twin)
    {
        _twin = twin;
        _milliOnGpu = new int[twin.Topology.GpuCount];
        twin.Ticked += (_, now) => Advance(now);
        twin.ExternalWorkHit += (_, hit) => OnHit(hit);
    }

    /// <summary>Attempts holding GPUs now.</summary>
    public int Running
    {
        get
        {
            lock (Gate)
            {
                return _runs.Values.Count(r => r.Outcome == ExecutionOutcome.Running);
            }
        }
    }

    /// <summary>Reports waiting for <see cref="FlushAsync"/>.</summary>
    public int PendingReports
    {
        get
        {
            lock (Gate)
            {
                return _reports.Count;
            }
        }
    }

    public IReadOnlyList<ConfigField> ConfigSchema => [];

    private Lock Gate => _twin.State.Gate;

    /// <remarks>
    /// Attaching again replaces the reporter: the twin (the data plane) outlives a control plane that restarts in the same
    /// process, and the new controller must hear about the attempts it recovers. Reports not yet flushed go to the new one.
    /// </remarks>
    public void Attach(IExecutionReporter reporter)
    {
        ArgumentNullException.ThrowIfNull(reporter);
        _reporter = reporter;
    }

    public Task InitAsync(PluginContext context, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public ValueTask<PluginHealth> CheckHealthAsync(CancellationToken cancellationToken) =>
        ValueTask.FromResult(_reporter is null ? PluginHealth.Degraded("no reporter attached") : PluginHealth.Ready);

    public Task DrainAsync(CancellationToken cancellationToken) => FlushAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => FlushAsync(cancellationToken);

    public Task StartAsync(ExecutionRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var gpus = new List<(int Gpu, int Milli)>();
        foreach (var replica in request.Replicas)
        {
            if (!_twin.Topology.TryGetNodeIndex(replica.Node, out int node))
            {
                throw new ArgumentException($"replica on unknown node {replica.Node}", nameof(request));
            }

            int count = _twin.Topology.Nodes[node].GpuCount;
            foreach (int index in replica.Gpus)
            {
                if ((uint)index >= (uint)count)
                {
                    throw new ArgumentException($"node {replica.Node} has {count} GPUs; the placement names GPU {index}", nameof(request));
                }

                gpus.Add((_twin.Topology.GpuOffsets[node] + index, replica.GpuMilli));
            }
        }

        TimeSpan? failAfter = null;
        if (request.Command.TryGetValue(FailAfterKey, out string? text) || request.Command.TryGetValue("env." + FailAfterKey, out text))
        {
            failAfter = TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var parsed) && parsed >= TimeSpan.Zero
                ? parsed
                : throw new ArgumentException($"run.{FailAfterKey}: '{text}' is not a duration (hh:mm:ss)", nameof(request));
        }

        lock (Gate)
        {
            var key = (request.Job, request.Attempt);
            if (_runs.ContainsKey(key))
            {
                return Task.CompletedTask;
            }

            var now = _twin.Now;
            var run = new Run(request, [.. gpus], request.Replicas.Select(r => r.Node).Distinct().Count() > 1, now, failAfter);
            _runs[key] = run;
            var unavailable = gpus.Where(g => _twin.Workload.IsUnavailable(g.Gpu)).Select(g => GpuName(g.Gpu)).ToList();
            if (unavailable.Count > 0)
            {
                End(run, ExecutionOutcome.InfraFailed, $"GPU unavailable at start: {string.Join(", ", unavailable)}", now);
                return Task.CompletedTask;
            }

            foreach (var (gpu, milli) in run.Gpus)
            {
                _milliOnGpu[gpu] += milli;
                _twin.Workload.Assign(gpu, Math.Clamp(_milliOnGpu[gpu] / 1000f, 0.05f, 1f), Math.Clamp(_milliOnGpu[gpu] / 1000f * 0.85f, 0.05f, 0.95f));
            }

            run.Assigned = true;

            _reports.Enqueue(new Report(ReportKind.Started, request.Job, request.Attempt, default, TimeSpan.Zero, string.Empty, now));
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(JobId job, int attempt, string reason, CancellationToken cancellationToken)
    {
        lock (Gate)
        {
            if (_runs.TryGetValue((job, attempt), out var run) && run.Outcome == ExecutionOutcome.Running)
            {
                End(run, ExecutionOutcome.Stopped, reason, _twin.Now);
            }
        }

        return Task.CompletedTask;
    }

    public Task SignalCheckpointAsync(JobId job, int attempt, CancellationToken cancellationToken)
    {
        lock (Gate)
        {
            if (_runs.TryGetValue((job, attempt), out var run) && run.Outcome == ExecutionOutcome.Running)
            {
                Checkpoint(run, _twin.Now);
            }
        }

        return Task.CompletedTask;
    }

    public Task<ExecutionStatus?> StatusAsync(JobId job, int attempt, CancellationToken cancellationToken)
    {
        lock (Gate)
        {
            return Task.FromResult(_runs.TryGetValue((job, attempt), out var run)
                ? new ExecutionStatus(job, attempt, run.Outcome, run.Progress, run.LastCheckpoint, run.Detail)
                : null);
        }
    }

    /// <summary>Delivers every queued report to the reporter, in the order the twin produced them.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (_reporter is not { } reporter)
        {
            return;
        }

        await _flush.WaitAsync(cancellationToken);
        try
        {
            while (true)
            {
                Report report;
                lock (Gate)
                {
                    if (!_reports.TryDequeue(out report!))
                    {
                        return;
                    }
                }

                switch (report.Kind)
                {
                    case ReportKind.Started:
                        await reporter.StartedAsync(report.Job, report.Attempt, report.At);
                        break;
                    case ReportKind.Checkpointed:
                        await reporter.CheckpointedAsync(report.Job, report.Attempt, report.Progress, report.At);
                        break;
                    default:
                        await reporter.EndedAsync(report.Job, report.Attempt, report.Outcome, report.Detail, report.At);
                        break;
                }
            }
        }
        finally
        {
            _flush.Release();
        }
    }

    private void Advance(DateTimeOffset now)
    {
        if (_runs.Count == 0)
        {
            return;
        }

        var tick = _twin.Options.Tick;
        List<(JobId, int)>? finished = null;
        foreach (var (key, run) in _runs)
        {
            if (run.Outcome != ExecutionOutcome.Running)
            {
                (finished ??= []).Add(key);
                continue;
            }

            bool slow = false;
            foreach (var (gpu, _) in run.Gpus)
            {
                slow |= _twin.Workload.IsSlow(gpu);
            }

            // Saturates at the work: a service's work is TimeSpan.MaxValue, and progress must never wrap past it.
            var step = slow ? tick * StragglerSpeed : tick;
            run.Progress = run.Request.Work - run.Progress <= step ? run.Request.Work : run.Progress + step;
            if (run.Request.CheckpointInterval is { } interval && interval > TimeSpan.Zero
                && run.Progress - (run.LastCheckpoint ?? run.Request.ResumeFrom) >= interval && run.Progress < run.Request.Work)
            {
                Checkpoint(run, now);
            }

            if (run.FailAfter is { } failAfter && run.Progress - run.Request.ResumeFrom >= failAfter)
            {
                End(run, ExecutionOutcome.Failed, $"the work exited with an error after {failAfter} ({FailAfterKey})", now);
            }
            else if (run.Progress >= run.Request.Work)
            {
                run.Progress = run.Request.Work;
                End(run, ExecutionOutcome.Succeeded, "completed", now);
            }
            else if (run.Request.RuntimeLimit is { } limit && now - run.StartedAt >= limit)
            {
                End(run, ExecutionOutcome.Failed, $"runtime limit {limit} exceeded", now);
            }
        }

        // Ended attempts stay one tick for StatusAsync, then go.
        foreach (var key in finished ?? [])
        {
            _runs.Remove(key);
        }
    }

    private void OnHit(ExternalWorkHit hit)
    {
        var now = _twin.Now;
        foreach (var run in _runs.Values)
        {
            if (run.Outcome != ExecutionOutcome.Running)
            {
                continue;
            }

            int lost = FirstHit(run, hit.Gpus);
            if (lost < 0 && run.MultiNode)
            {
                lost = FirstHit(run, hit.FabricOnly);
            }

            if (lost >= 0)
            {
                End(run, ExecutionOutcome.InfraFailed, $"{hit.Fault.Kind} {hit.Fault.Id} on {hit.Fault.Target} broke the work on {GpuName(lost)}", now);
            }
        }
    }

    private static int FirstHit(Run run, IReadOnlyList<int> hit)
    {
        foreach (var (gpu, _) in run.Gpus)
        {
            if (hit.Contains(gpu))
            {
                return gpu;
            }
        }

        return -1;
    }

    private void Checkpoint(Run run, DateTimeOffset now)
    {
        run.LastCheckpoint = run.Progress;
        _reports.Enqueue(new Report(ReportKind.Checkpointed, run.Request.Job, run.Request.Attempt, default, run.Progress, string.Empty, now));
    }

    private void End(Run run, ExecutionOutcome outcome, string detail, DateTimeOffset now)
    {
        run.Outcome = outcome;
        run.Detail = detail;
        foreach (var (gpu, milli) in run.Gpus)
        {
            if (!run.Assigned)
            {
                break;
            }

            _milliOnGpu[gpu] -= milli;
            if (_milliOnGpu[gpu] <= 0)
            {
                _milliOnGpu[gpu] = 0;
                _twin.Workload.Release(gpu);
            }
        }

        run.Assigned = false;
        _reports.Enqueue(new Report(ReportKind.Ended, run.Request.Job, run.Request.Attempt, outcome, run.Progress, detail, now));
    }

    private string GpuName(int gpu) => _twin.Topology.Gpus[gpu].Id.Value;

    private enum ReportKind
    {
        Started,
        Checkpointed,
        Ended,
    }

    private sealed record Report(ReportKind Kind, JobId Job, int Attempt, ExecutionOutcome Outcome, TimeSpan Progress, string Detail, DateTimeOffset At);

    private sealed class Run(ExecutionRequest request, (int Gpu, int Milli)[] gpus, bool multiNode, DateTimeOffset startedAt, TimeSpan? failAfter)
    {
        public ExecutionRequest Request { get; } = request;
        public (int Gpu, int Milli)[] Gpus { get; } = gpus;
        public bool MultiNode { get; } = multiNode;
        public DateTimeOffset StartedAt { get; } = startedAt;
        public TimeSpan? FailAfter { get; } = failAfter;
        public TimeSpan Progress { get; set; } = request.ResumeFrom;
        public TimeSpan? LastCheckpoint { get; set; }
        public ExecutionOutcome Outcome { get; set; } = ExecutionOutcome.Running;
        public string? Detail { get; set; }

        /// <summary>True while the GPUs are assigned on the twin (an attempt that never got them releases nothing).</summary>
        public bool Assigned { get; set; }
    }
}

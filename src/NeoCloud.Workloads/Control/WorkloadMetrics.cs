using System.Diagnostics.Metrics;
using NeoCloud.Workloads.Jobs;

namespace NeoCloud.Workloads.Control;

/// <summary>
/// The job flow's instruments on the <c>NeoCloud.Workloads</c> meter (published as <c>neocloud_workloads_*</c> on /metrics):
/// submissions, ends by state, waits to placement and to running, infrastructure failures, and the GPU-hours lost when
/// attempts are interrupted. Queue depth, cycle and placement latency and preemptions are the scheduler's own
/// (<c>NeoCloud.Scheduling</c>).
/// </summary>
public sealed class WorkloadMetrics : IDisposable
{
    public const string MeterName = "NeoCloud.Workloads";

    private readonly Meter _meter = new(MeterName);
    private readonly Counter<long> _submitted;
    private readonly Counter<long> _ended;
    private readonly Counter<long> _infraFailures;
    private readonly Counter<double> _gpuHoursLost;
    private readonly Histogram<double> _waitToPlace;
    private readonly Histogram<double> _waitToStart;

    public WorkloadMetrics()
    {
        _submitted = _meter.CreateCounter<long>("jobs_submitted_total", description: "Jobs accepted, by queue.");
        _ended = _meter.CreateCounter<long>("jobs_ended_total", description: "Jobs that reached a final state, by queue and state.");
        _infraFailures = _meter.CreateCounter<long>("infra_failures_total", description: "Attempts lost to the infrastructure under them, by queue.");
        _gpuHoursLost = _meter.CreateCounter<double>("gpu_hours_lost_total", description: "GPU-hours of work lost since the last checkpoint when an attempt was preempted or failed under the work, by queue and reason.");
        _waitToPlace = _meter.CreateHistogram<double>("placement_wait_seconds", unit: "s", description: "Time from submission (or restart) to placement, by queue.");
        _waitToStart = _meter.CreateHistogram<double>("start_latency_seconds", unit: "s", description: "Time from submission to all replicas running, by queue.");
    }

    public void Submitted(string queue) => _submitted.Add(1, new KeyValuePair<string, object?>("queue", queue));

    public void Ended(string queue, JobState state) =>
        _ended.Add(1, new KeyValuePair<string, object?>("queue", queue), new KeyValuePair<string, object?>("state", JobMachine.Name(state)));

    public void Placed(string queue, TimeSpan wait) => _waitToPlace.Record(Math.Max(0, wait.TotalSeconds), new KeyValuePair<string, object?>("queue", queue));

    public void Started(string queue, TimeSpan wait) => _waitToStart.Record(Math.Max(0, wait.TotalSeconds), new KeyValuePair<string, object?>("queue", queue));

    /// <summary>A preemption's lost work (the preemption itself is counted by the scheduler).</summary>
    public void Preempted(string queue, string reason, double gpuHoursLost) =>
        _gpuHoursLost.Add(gpuHoursLost, new KeyValuePair<string, object?>("queue", queue), new KeyValuePair<string, object?>("reason", reason));

    public void Interrupted(string queue, string reason, double gpuHoursLost)
    {
        _infraFailures.Add(1, new KeyValuePair<string, object?>("queue", queue));
        _gpuHoursLost.Add(gpuHoursLost, new KeyValuePair<string, object?>("queue", queue), new KeyValuePair<string, object?>("reason", reason));
    }

    public void Dispose() => _meter.Dispose();
}

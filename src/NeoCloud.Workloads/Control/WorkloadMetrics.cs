using System.Diagnostics.Metrics;
using NeoCloud.Scheduling.Cycles;
using NeoCloud.Workloads.Jobs;

namespace NeoCloud.Workloads.Control;

/// <summary>
/// The job flow's instruments (meter <c>NeoCloud.Workloads</c>): submissions, ends by state, queueing delay to placement
/// and to start, cycle time, preemptions and infra failures by reason with the GPU-hours they lost, and the queue depth,
/// allocation and wait the last cycle saw.
/// </summary>
public sealed class WorkloadMetrics : IDisposable
{
    public const string MeterName = "NeoCloud.Workloads";

    private readonly Meter _meter = new(MeterName);
    private readonly Counter<long> _submitted;
    private readonly Counter<long> _ended;
    private readonly Counter<long> _preemptions;
    private readonly Counter<long> _infraFailures;
    private readonly Counter<double> _gpuHoursLost;
    private readonly Histogram<double> _waitToPlace;
    private readonly Histogram<double> _waitToStart;
    private readonly Histogram<double> _cycleSeconds;
    private volatile CycleResult? _last;
    private double _allocation;

    public WorkloadMetrics()
    {
        _submitted = _meter.CreateCounter<long>("neocloud_workloads_jobs_submitted_total", description: "Jobs accepted, by queue.");
        _ended = _meter.CreateCounter<long>("neocloud_workloads_jobs_ended_total", description: "Jobs that reached a final state, by queue and state.");
        _preemptions = _meter.CreateCounter<long>("neocloud_scheduling_preemptions_total", description: "Attempts preempted, by victim queue and reason.");
        _infraFailures = _meter.CreateCounter<long>("neocloud_workloads_infra_failures_total", description: "Attempts lost to the infrastructure under them, by queue.");
        _gpuHoursLost = _meter.CreateCounter<double>("neocloud_workloads_gpu_hours_lost_total", unit: "h", description: "GPU-hours of work lost since the last checkpoint when an attempt was interrupted.");
        _waitToPlace = _meter.CreateHistogram<double>("neocloud_scheduling_queue_wait_seconds", unit: "s", description: "Time from submission to placement, by queue.");
        _waitToStart = _meter.CreateHistogram<double>("neocloud_workloads_start_latency_seconds", unit: "s", description: "Time from submission to all replicas running, by queue.");
        _cycleSeconds = _meter.CreateHistogram<double>("neocloud_scheduling_cycle_seconds", unit: "s", description: "Wall time of one scheduling cycle.");
        _meter.CreateObservableGauge("neocloud_scheduling_queue_depth", ObserveDepth, description: "Pending workloads per queue after the last cycle.");
        _meter.CreateObservableGauge("neocloud_scheduling_queue_oldest_wait_seconds", ObserveOldestWait, unit: "s", description: "Wait of the oldest pending workload per queue.");
        _meter.CreateObservableGauge("neocloud_scheduling_gpu_allocation_ratio", () => Volatile.Read(ref _allocation), description: "GPU capacity allocated ÷ GPU capacity, after the last cycle.");
    }

    public void Submitted(string queue) => _submitted.Add(1, new KeyValuePair<string, object?>("queue", queue));

    public void Ended(string queue, JobState state) =>
        _ended.Add(1, new KeyValuePair<string, object?>("queue", queue), new KeyValuePair<string, object?>("state", JobMachine.Name(state)));

    public void Placed(string queue, TimeSpan wait) => _waitToPlace.Record(Math.Max(0, wait.TotalSeconds), new KeyValuePair<string, object?>("queue", queue));

    public void Started(string queue, TimeSpan wait) => _waitToStart.Record(Math.Max(0, wait.TotalSeconds), new KeyValuePair<string, object?>("queue", queue));

    public void Preempted(string queue, string reason, double gpuHoursLost)
    {
        var tags = new[] { new KeyValuePair<string, object?>("queue", queue), new KeyValuePair<string, object?>("reason", reason) };
        _preemptions.Add(1, tags);
        _gpuHoursLost.Add(gpuHoursLost, tags);
    }

    public void Interrupted(string queue, string reason, double gpuHoursLost)
    {
        var tags = new[] { new KeyValuePair<string, object?>("queue", queue), new KeyValuePair<string, object?>("reason", reason) };
        _infraFailures.Add(1, tags);
        _gpuHoursLost.Add(gpuHoursLost, tags);
    }

    public void Cycle(TimeSpan elapsed, CycleResult result)
    {
        _cycleSeconds.Record(elapsed.TotalSeconds);
        _last = result;
    }

    /// <summary>Sets the GPU allocation ratio the gauge reports (the host reads it from the placer after each cycle).</summary>
    public void Allocation(double ratio) => Volatile.Write(ref _allocation, ratio);

    public void Dispose() => _meter.Dispose();

    private IEnumerable<Measurement<int>> ObserveDepth()
    {
        foreach (var queue in _last?.Queues ?? [])
        {
            yield return new Measurement<int>(queue.Pending, new KeyValuePair<string, object?>("queue", queue.Name));
        }
    }

    private IEnumerable<Measurement<double>> ObserveOldestWait()
    {
        foreach (var queue in _last?.Queues ?? [])
        {
            yield return new Measurement<double>(queue.OldestWait.TotalSeconds, new KeyValuePair<string, object?>("queue", queue.Name));
        }
    }
}

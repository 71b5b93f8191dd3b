using System.Diagnostics.Metrics;
using NeoCloud.Scheduling.Preemption;
using NeoCloud.Scheduling.Queues;

namespace NeoCloud.Scheduling.Metrics;

/// <summary>
/// The scheduler's instruments on the <c>NeoCloud.Scheduling</c> meter: placement decision latency, cycle latency,
/// started workloads, preemptions by reason, and per-queue depth and oldest wait plus the GPU allocation ratio as
/// observable gauges read from the last cycle.
/// </summary>
public sealed class SchedulingMetrics : IDisposable
{
    public const string MeterName = "NeoCloud.Scheduling";

    private readonly Meter _meter;
    private readonly Histogram<double> _placement;
    private readonly Histogram<double> _cycle;
    private readonly Counter<long> _started;
    private readonly Counter<long> _preemptions;
    private IReadOnlyList<QueueStatus> _queues = [];
    private double _gpuAllocationRatio;

    public SchedulingMetrics(IMeterFactory? factory = null)
    {
        _meter = factory?.Create(MeterName) ?? new Meter(MeterName);
        _placement = _meter.CreateHistogram<double>("placement_seconds", "s", "Time to decide one workload: quota checks and gang placement (preemption searches are not included).");
        _cycle = _meter.CreateHistogram<double>("cycle_seconds", "s", "Time of one whole scheduling cycle.");
        _started = _meter.CreateCounter<long>("started_total", "{workload}", "Workloads admitted and placed.");
        _preemptions = _meter.CreateCounter<long>("preemptions_total", "{workload}", "Workloads preempted, by reason.");
        _meter.CreateObservableGauge("queue_depth", () => _queues.Select(q => new Measurement<long>(q.Pending, new KeyValuePair<string, object?>("queue", q.Name))), "{workload}", "Pending workloads per queue.");
        _meter.CreateObservableGauge("queue_wait_seconds", () => _queues.Select(q => new Measurement<double>(q.OldestWait.TotalSeconds, new KeyValuePair<string, object?>("queue", q.Name))), "s", "Wait of the oldest pending workload per queue.");
        _meter.CreateObservableGauge("gpu_allocation_ratio", () => _gpuAllocationRatio, "1", "Share of the cluster's GPU capacity allocated.");
    }

    public void RecordPlacement(TimeSpan elapsed) => _placement.Record(elapsed.TotalSeconds);

    public void RecordCycle(TimeSpan elapsed, int started, IReadOnlyList<QueueStatus> queues, double gpuAllocationRatio)
    {
        _cycle.Record(elapsed.TotalSeconds);
        _started.Add(started);
        _queues = queues;
        _gpuAllocationRatio = gpuAllocationRatio;
    }

    public void RecordPreemption(PreemptionReason reason) =>
        _preemptions.Add(1, new KeyValuePair<string, object?>("reason", reason switch
        {
            PreemptionReason.PriorityWithinQueue => "priority_within_queue",
            PreemptionReason.ReclaimBorrowed => "reclaim_borrowed",
            PreemptionReason.FairShare => "fair_share",
            _ => "other",
        }));

    public void Dispose() => _meter.Dispose();
}

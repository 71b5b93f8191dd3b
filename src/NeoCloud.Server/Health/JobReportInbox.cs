using System.Collections.Concurrent;
using System.Globalization;
using NeoCloud.Health.Signals;
using NeoCloud.Simulator.Twin;
using NeoCloud.Simulator.Workload;

namespace NeoCloud.Server.Health;

/// <summary>
/// What running jobs report about themselves (NCCL watchdog timeouts, numeric anomalies), collected between health
/// rounds. In the all-in-one host the reports come from the twin, which raises them for the work on its GPUs; a real
/// executor would post the same reports. Each is tied to the job that ran on its GPUs through the round's work map.
/// </summary>
public sealed class JobReportInbox : IDisposable
{
    private readonly FleetTwin _twin;
    private readonly ConcurrentQueue<JobSignal> _pending = new();

    public JobReportInbox(FleetTwin twin)
    {
        ArgumentNullException.ThrowIfNull(twin);
        _twin = twin;
        // Raised on the ticking thread under the twin's lock: only enqueue here.
        _twin.JobSignalReported += OnSignal;
    }

    public int Pending => _pending.Count;

    /// <summary>Moves every report received since the last round into <paramref name="into"/>, tied to the work the frame says ran on its GPUs.</summary>
    /// <param name="jobName">The job a work key stands for (its printable name), when known.</param>
    public void Drain(SignalFrame frame, Func<long, string?> jobName, List<JobReport> into)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(jobName);
        ArgumentNullException.ThrowIfNull(into);
        while (_pending.TryDequeue(out var signal))
        {
            long work = 0;
            foreach (var gpu in signal.Gpus)
            {
                if (GpuIndex(frame, gpu.Value) is int g and >= 0 && frame.WorkOfGpu[g] != 0)
                {
                    work = frame.WorkOfGpu[g];
                    break;
                }
            }

            var kind = signal.Kind == JobSignal.NumericAnomaly ? JobReportKind.NumericAnomaly : JobReportKind.CollectiveTimeout;
            string name = jobName(work) ?? (work != 0 ? "work-" + work.ToString(CultureInfo.InvariantCulture) : "unplaced work on " + signal.Gpus.FirstOrDefault().Value);
            into.Add(new JobReport(signal.At, kind, work, name, signal.Gpus, signal.Suspect, signal.Message));
        }
    }

    public void Dispose() => _twin.JobSignalReported -= OnSignal;

    private void OnSignal(object? sender, JobSignal signal) => _pending.Enqueue(signal);

    // A GPU id is <node-id>/gpuN: its dense index in the frame's topology, or -1.
    private static int GpuIndex(SignalFrame frame, string gpu)
    {
        int slash = gpu.LastIndexOf("/gpu", StringComparison.Ordinal);
        if (slash < 0 || !frame.Topology.TryGetNodeIndex(new Kernel.Ids.NodeId(gpu[..slash]), out int node)
            || !int.TryParse(gpu.AsSpan(slash + 4), NumberStyles.None, CultureInfo.InvariantCulture, out int index))
        {
            return -1;
        }

        int first = frame.Topology.GpuOffsets[node];
        return index < frame.Topology.GpuOffsets[node + 1] - first ? first + index : -1;
    }
}

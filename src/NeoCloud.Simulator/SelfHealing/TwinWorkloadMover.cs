using NeoCloud.Health.Remediation;
using NeoCloud.Kernel.Ids;
using NeoCloud.Simulator.Twin;
using NeoCloud.Simulator.Workload;

namespace NeoCloud.Simulator.SelfHealing;

/// <summary>
/// Remediation's workload port over the twin's synthetic jobs, for the headless simulation: the work on some hardware,
/// a checkpoint on request, and eviction that requeues the job to restart elsewhere from its checkpoint (the twin runs
/// with <see cref="SimulationOptions.RestartInterruptedWork"/>). Work keys are the signal frame's: job id + 1.
/// </summary>
public sealed class TwinWorkloadMover(FleetTwin twin) : IWorkloadMover
{
    public Task<IReadOnlyList<WorkOnHardware>> WorkOnAsync(IReadOnlyList<string> nodes, IReadOnlyList<string> gpus, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        ArgumentNullException.ThrowIfNull(gpus);
        var state = twin.State;
        var found = new List<WorkOnHardware>();
        var seen = new HashSet<int>();
        lock (state.Gate)
        {
            void Add(int g)
            {
                if (twin.Synthetic.JobOf(g) is { } job && seen.Add(job.Id))
                {
                    found.Add(new WorkOnHardware(job.Id + 1L, Name(job), job.Gpus.Length, TimeOf(job.LastCheckpointTick)));
                }
            }

            var offsets = state.Topology.GpuOffsets;
            foreach (string node in nodes)
            {
                int n = state.NodeIndex(new NodeId(node));
                for (int g = offsets[n]; g < offsets[n + 1]; g++)
                {
                    Add(g);
                }
            }

            foreach (string gpu in gpus)
            {
                Add(state.GpuIndex(new GpuId(gpu)));
            }
        }

        return Task.FromResult<IReadOnlyList<WorkOnHardware>>(found);
    }

    public Task SignalCheckpointAsync(WorkOnHardware work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        lock (twin.State.Gate)
        {
            if (Find(work) is { } job)
            {
                SyntheticWorkload.Checkpoint(job, twin.State.TickIndex);
            }
        }

        return Task.CompletedTask;
    }

    public Task<double> EvictAsync(WorkOnHardware work, string reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        lock (twin.State.Gate)
        {
            return Task.FromResult(Find(work) is { } job ? twin.Synthetic.Interrupt(job) : 0.0);
        }
    }

    /// <summary>The printable name of a synthetic job, as job reports and findings carry it.</summary>
    public static string Name(int jobId) => $"synthetic-{jobId}";

    private static string Name(SyntheticJob job) => Name(job.Id);

    private SyntheticJob? Find(WorkOnHardware work) =>
        work.Work is > 0 and <= int.MaxValue + 1L ? twin.Synthetic.Job((int)(work.Work - 1)) : null;

    private DateTimeOffset TimeOf(long tick) => twin.Now - (twin.Options.Tick * (twin.State.TickIndex - tick));
}

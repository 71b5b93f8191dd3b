using NeoCloud.Kernel.Ids;
using NeoCloud.Plugins.Lifecycle;

namespace NeoCloud.Workloads.Execution;

/// <summary>
/// Runs placed jobs on real (or simulated) machines: the twin, Slurm, Kubernetes. An executor is a plugin of kind
/// <c>executor</c>. It reports what happens to the work through the <see cref="IExecutionReporter"/> it was given; every
/// call is idempotent for the same job and attempt.
/// </summary>
public interface IJobExecutor : IPlugin
{
    /// <summary>Where the executor sends what happens to the work; set before the first start, and again by a control plane that restarts.</summary>
    void Attach(IExecutionReporter reporter);

    /// <summary>Starts (or resumes from <see cref="ExecutionRequest.ResumeFrom"/>) one attempt of a job on its placement.</summary>
    Task StartAsync(ExecutionRequest request, CancellationToken cancellationToken);

    /// <summary>Stops an attempt (cancel, preemption, drain); the executor reports <see cref="ExecutionOutcome.Stopped"/> when it is down.</summary>
    Task StopAsync(JobId job, int attempt, string reason, CancellationToken cancellationToken);

    /// <summary>Asks the attempt to write a checkpoint now (before a preemption or a drain); it reports the checkpoint when written.</summary>
    Task SignalCheckpointAsync(JobId job, int attempt, CancellationToken cancellationToken);

    /// <summary>What the executor knows of an attempt now, or null if it has never heard of it.</summary>
    Task<ExecutionStatus?> StatusAsync(JobId job, int attempt, CancellationToken cancellationToken);
}

/// <summary>One attempt to run: where each replica goes, how long the work is, and where to resume from.</summary>
/// <param name="Replicas">One entry per replica: the node and the GPU indices (and share) it was given.</param>
/// <param name="Work">How much work the job has in all (the twin runs it in virtual time; real executors ignore it).</param>
/// <param name="ResumeFrom">Progress already saved by a checkpoint of an earlier attempt; zero for a fresh start.</param>
/// <param name="Command">What to run, opaque to the control plane (image, command line, Slurm script).</param>
public sealed record ExecutionRequest(
    JobId Job,
    int Attempt,
    TenantId Tenant,
    IReadOnlyList<ReplicaPlacement> Replicas,
    TimeSpan Work,
    TimeSpan ResumeFrom,
    TimeSpan? CheckpointInterval,
    TimeSpan? RuntimeLimit,
    IReadOnlyDictionary<string, string> Command);

/// <summary>One replica's place: a node, its GPU indices on that node, and the milli-GPU taken on each (1000 = whole).</summary>
public sealed record ReplicaPlacement(NodeId Node, IReadOnlyList<int> Gpus, int GpuMilli);

public enum ExecutionOutcome
{
    Running,
    Succeeded,

    /// <summary>The work itself failed (bad code, bad input): not retried as an infrastructure failure.</summary>
    Failed,

    /// <summary>Hardware or the platform under the work failed (GPU fault, node lost, collective timeout).</summary>
    InfraFailed,

    /// <summary>Stopped on request.</summary>
    Stopped,
}

/// <summary>An attempt's state as its executor sees it.</summary>
/// <param name="Progress">Work done so far, including what the attempt resumed from.</param>
/// <param name="LastCheckpoint">Progress saved by the last checkpoint, if any.</param>
public sealed record ExecutionStatus(JobId Job, int Attempt, ExecutionOutcome Outcome, TimeSpan Progress, TimeSpan? LastCheckpoint, string? Detail);

/// <summary>Where an executor reports what happens to the work it runs; the Workloads context turns reports into job events.</summary>
public interface IExecutionReporter
{
    /// <summary>The attempt is running on all its replicas.</summary>
    ValueTask StartedAsync(JobId job, int attempt, DateTimeOffset at);

    /// <summary>A checkpoint holding <paramref name="progress"/> of work was written.</summary>
    ValueTask CheckpointedAsync(JobId job, int attempt, TimeSpan progress, DateTimeOffset at);

    /// <summary>The attempt ended: succeeded, failed, infra-failed or stopped, with why.</summary>
    ValueTask EndedAsync(JobId job, int attempt, ExecutionOutcome outcome, string detail, DateTimeOffset at);
}

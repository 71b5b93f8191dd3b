using NeoCloud.Kernel.Ids;

namespace NeoCloud.Health.Signals;

/// <summary>What a running job reported about itself: the hardware may show nothing at all.</summary>
public enum JobReportKind
{
    /// <summary>An NCCL (or other collective) watchdog timeout.</summary>
    CollectiveTimeout,

    /// <summary>The job saw wrong numbers: a loss spike, NaNs, a checksum mismatch between replicas (how silent data corruption surfaces).</summary>
    NumericAnomaly,
}

/// <summary>One report from a job, with the GPUs it ran on and, when the job could tell, the GPU it blames.</summary>
/// <param name="Work">The same key as <see cref="SignalFrame.WorkOfGpu"/>.</param>
/// <param name="Suspect">The GPU the job blames (the rank that timed out, the replica whose checksum differs), when known.</param>
public sealed record JobReport(DateTimeOffset At, JobReportKind Kind, long Work, string JobName, IReadOnlyList<GpuId> Gpus, GpuId? Suspect, string Message);

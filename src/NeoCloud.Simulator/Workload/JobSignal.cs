using NeoCloud.Kernel.Ids;

namespace NeoCloud.Simulator.Workload;

/// <summary>Something a running job reports about itself, e.g. an NCCL watchdog's collective timeout.</summary>
/// <param name="Kind"><see cref="CollectiveTimeout"/> or <see cref="NumericAnomaly"/>.</param>
/// <param name="JobId">The synthetic job's id, or -1 when the GPUs carried assigned work.</param>
public sealed record JobSignal(DateTimeOffset At, string Kind, int JobId, IReadOnlyList<GpuId> Gpus, string Message)
{
    /// <summary>An NCCL watchdog fired: a collective operation timed out.</summary>
    public const string CollectiveTimeout = "NcclCollectiveTimeout";

    /// <summary>The job computed wrong numbers (a replica checksum mismatch): how silent data corruption surfaces.</summary>
    public const string NumericAnomaly = "NumericAnomaly";

    /// <summary>The GPU the job blames, when it can tell.</summary>
    public GpuId? Suspect { get; init; }
}

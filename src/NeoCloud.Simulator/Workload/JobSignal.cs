using NeoCloud.Kernel.Ids;

namespace NeoCloud.Simulator.Workload;

/// <summary>Something a running job reports about itself, e.g. an NCCL watchdog's collective timeout.</summary>
/// <param name="Kind">e.g. <c>NcclCollectiveTimeout</c>.</param>
/// <param name="JobId">The synthetic job's id, or -1 when the GPUs carried assigned work.</param>
public sealed record JobSignal(DateTimeOffset At, string Kind, int JobId, IReadOnlyList<GpuId> Gpus, string Message);

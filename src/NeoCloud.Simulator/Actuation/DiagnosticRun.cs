using NeoCloud.Fleet.Actuation;
using NeoCloud.Kernel.Ids;

namespace NeoCloud.Simulator.Actuation;

/// <summary>The outcome of a DCGM diagnostic on a node: which GPUs failed and why, and when the run ends on virtual time.</summary>
/// <remarks>The verdict is taken against the faults in effect when the run starts; a caller should act on it only after <see cref="CompletesAt"/>.</remarks>
public sealed record DiagnosticRun(
    NodeId Node,
    DiagnosticLevel Level,
    DateTimeOffset StartedAt,
    DateTimeOffset CompletesAt,
    bool Passed,
    IReadOnlyList<GpuId> FailedGpus,
    IReadOnlyList<string> Findings);

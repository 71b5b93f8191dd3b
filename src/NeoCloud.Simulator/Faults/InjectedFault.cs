using NeoCloud.Fleet.Actuation;
using NeoCloud.Kernel.Ids;

namespace NeoCloud.Simulator.Faults;

/// <summary>Ground truth about one fault the twin injected: what, where, when it began and (once repaired) ended.</summary>
/// <param name="Id">Stable within a run, e.g. <c>flt-000042</c>.</param>
/// <param name="Target">The printable id of the GPU, node, switch, PDU or port (<c>node/mlx5_N</c>).</param>
/// <param name="Fatal">True when the hardware is out of service until remediated (the work on it is lost).</param>
/// <param name="Xid">The XID code the fault raises, when it raises one.</param>
/// <param name="AffectedGpus">GPUs whose signals or work the fault touches.</param>
/// <param name="AffectedNodes">Nodes whose signals (heartbeat, ports) the fault touches.</param>
/// <param name="ExpectedSignals">What a detector should see, e.g. <c>DCGM_FI_DEV_XID_ERRORS=79</c>; empty for silent data corruption.</param>
/// <param name="DetectableAt">The lowest diagnostic level that fails on this fault; null when no GPU diagnostic can see it.</param>
/// <param name="Scripted">True when it came from a fault script or a direct injection rather than the random model.</param>
public sealed record InjectedFault(
    string Id,
    FaultKind Kind,
    FaultCause Cause,
    FaultScope Scope,
    string Target,
    DateTimeOffset OnsetAt,
    DateTimeOffset? ClearedAt,
    bool Fatal,
    int? Xid,
    IReadOnlyList<GpuId> AffectedGpus,
    IReadOnlyList<NodeId> AffectedNodes,
    IReadOnlyList<string> ExpectedSignals,
    DiagnosticLevel? DetectableAt,
    bool Scripted)
{
    public bool IsActive => ClearedAt is null;
}

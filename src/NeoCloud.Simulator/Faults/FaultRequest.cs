namespace NeoCloud.Simulator.Faults;

/// <summary>A fault to inject: what, on which target id, and optionally its XID, cause and how long until it clears by itself.</summary>
/// <param name="Target">A GPU (<c>node/gpuN</c>), node, switch, PDU or port (<c>node/mlx5_N</c>) id.</param>
/// <param name="Xid">Required for <see cref="FaultKind.Xid"/>.</param>
/// <param name="Cause">Defaults to the usual cause of the kind (and XID).</param>
/// <param name="Duration">When set, the fault clears by itself after this long (a PDU restored, a link back up).</param>
public sealed record FaultRequest(FaultKind Kind, string Target, int? Xid = null, FaultCause? Cause = null, TimeSpan? Duration = null);

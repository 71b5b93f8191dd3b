using NeoCloud.Health.Findings;

namespace NeoCloud.Health.Catalog;

/// <summary>Where a fault code's signal comes from.</summary>
public enum SignalSource
{
    /// <summary>An XID reported by the driver.</summary>
    Xid,

    /// <summary>A GPU counter or gauge (ECC, remap, thermal, power, PCIe, NVLink).</summary>
    GpuSignal,

    /// <summary>An InfiniBand port counter or state.</summary>
    Port,

    /// <summary>The node stopped answering.</summary>
    Heartbeat,

    /// <summary>The job reported it (collective timeout, numeric anomaly).</summary>
    Job,

    /// <summary>A comparison of gang peers (straggler).</summary>
    Peers,

    /// <summary>A metric compared with its own seasonal baseline (the Reliability context's anomaly watch).</summary>
    Baseline,
}

/// <summary>One entry of the fault catalogue: what a fault code means and what it calls for.</summary>
/// <param name="Code">Stable code: <c>XID-79</c>, <c>ECC-DBE</c>, <c>IB-SYMBOL-ERROR-RATE</c>, ...</param>
/// <param name="NvidiaAction">For XIDs: NVIDIA's immediate-action bucket as published (<c>RESET_GPU</c>, ...); null for our own rules.</param>
/// <param name="Scope">The kind of component a finding of this code points at.</param>
public sealed record FaultCode(
    string Code,
    string Name,
    SignalSource Source,
    ComponentKind Scope,
    Severity Severity,
    bool Fatal,
    RemedyHint Remedy,
    string? NvidiaAction,
    string Description);

namespace NeoCloud.Simulator.Twin;

/// <summary>Per-GPU condition bits kept in one byte per GPU.</summary>
[Flags]
internal enum GpuFlags : byte
{
    None = 0,

    /// <summary>A fatal fault holds the GPU out of service.</summary>
    Faulted = 0x1,
    Thermal = 0x2,
    Straggler = 0x4,

    /// <summary>A reset, reboot or replacement is in progress.</summary>
    InRemediation = 0x8,

    /// <summary>The control plane quarantined it: no work may run.</summary>
    Quarantined = 0x10,

    FaultBits = Faulted | Thermal | Straggler,
    Unavailable = Faulted | InRemediation | Quarantined,
}

namespace NeoCloud.Simulator.Faults;

/// <summary>The root cause of a fault, as the Llama 3 interruption breakdown classifies them, plus rarer facility faults.</summary>
public enum FaultCause
{
    FaultyGpu,
    GpuHbm3Memory,
    SoftwareBug,
    NetworkSwitchOrCable,
    HostMaintenance,
    GpuSram,
    GpuSystemProcessor,
    Nic,
    NcclWatchdog,
    SilentDataCorruption,
    GpuThermal,
    Cpu,
    PduFailure,
    LeafSwitchFailure,
    Straggler,
}

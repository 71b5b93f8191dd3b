namespace NeoCloud.Simulator.Faults;

/// <summary>What a fault does to the hardware, which decides the signals it shows.</summary>
public enum FaultKind
{
    /// <summary>An XID error on a GPU (the code says which); fatal or not as NVIDIA's catalogue says.</summary>
    Xid,

    /// <summary>A burst of double-bit ECC errors in HBM: DBE counters rise, rows are remapped or remapping fails.</summary>
    EccDbeStorm,

    /// <summary>A whole leaf switch goes down: every node of its leaf group loses that rail.</summary>
    SwitchDown,

    /// <summary>One node port (cable, transceiver) goes down.</summary>
    LinkDown,

    /// <summary>A NIC or cable that keeps its link but corrupts traffic: symbol, integrity and receive errors rise.</summary>
    PortErrors,

    /// <summary>A power distribution unit fails: the nodes it feeds go dark.</summary>
    PduDown,

    /// <summary>A node stops answering (host maintenance, CPU, kernel hang): its heartbeat stops.</summary>
    HeartbeatLoss,

    /// <summary>A GPU overheats: temperature climbs and the HW thermal slowdown engages.</summary>
    Thermal,

    /// <summary>A GPU runs slow (fail-slow): lower SM clock and utilisation than its gang peers.</summary>
    Straggler,

    /// <summary>Silent data corruption: no signal at all; only the deepest diagnostic finds it.</summary>
    SilentDataCorruption,

    /// <summary>A job reports an NCCL collective timeout (watchdog); the hardware shows nothing.</summary>
    NcclTimeout,
}

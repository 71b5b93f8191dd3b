namespace NeoCloud.Telemetry.Dcgm;

/// <summary>The DCGM fields NeoCloud reads from dcgm-exporter; each value is the field's DCGM id (dcgm_fields.h).</summary>
public enum DcgmField
{
    Unknown = 0,
    SmClock = 100,
    MemClock = 101,

    /// <summary>DCGM_FI_DEV_CLOCKS_EVENT_REASONS, formerly DCGM_FI_DEV_CLOCK_THROTTLE_REASONS (same id).</summary>
    ClockEventReasons = 112,
    MemoryTemp = 140,
    GpuTemp = 150,
    PowerUsage = 155,
    TotalEnergyConsumption = 156,
    PcieReplayCounter = 202,
    GpuUtil = 203,
    MemCopyUtil = 204,
    XidErrors = 230,
    FbFree = 251,
    FbUsed = 252,
    FbReserved = 253,
    EccSbeVolTotal = 310,
    EccDbeVolTotal = 311,
    EccSbeAggTotal = 312,
    EccDbeAggTotal = 313,
    UncorrectableRemappedRows = 393,
    CorrectableRemappedRows = 394,
    RowRemapFailure = 395,
    RowRemapPending = 396,
    NvlinkCrcFlitErrorCountTotal = 409,
    NvlinkCrcDataErrorCountTotal = 419,
    NvlinkReplayErrorCountTotal = 429,
    NvlinkRecoveryErrorCountTotal = 439,
    NvlinkBandwidthTotal = 449,
    GrEngineActive = 1001,
    SmActive = 1002,
    SmOccupancy = 1003,
    PipeTensorActive = 1004,
    DramActive = 1005,
}

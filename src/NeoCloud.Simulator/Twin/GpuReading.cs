using NeoCloud.Kernel.Ids;

namespace NeoCloud.Simulator.Twin;

/// <summary>A copy of one GPU's current signals, for tests, tools and executors that want values rather than text.</summary>
public readonly record struct GpuReading(
    GpuId Gpu,
    float UtilizationPercent,
    float FramebufferUsedMiB,
    float GpuTempC,
    float MemoryTempC,
    float PowerW,
    float SmClockMhz,
    double TotalEnergyMj,
    long EccSbeVolatile,
    long EccDbeVolatile,
    long EccSbeAggregate,
    long EccDbeAggregate,
    int CorrectableRemappedRows,
    int UncorrectableRemappedRows,
    bool RowRemapPending,
    bool RowRemapFailure,
    int LastXid,
    long XidCount,
    long NvLinkCrcFlitErrors,
    long NvLinkCrcDataErrors,
    long NvLinkReplays,
    long PcieReplays,
    ClockEventReasons ClockEvents,
    float Intensity);

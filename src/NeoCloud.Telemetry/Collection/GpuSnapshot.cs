namespace NeoCloud.Telemetry.Collection;

/// <summary>The latest value of the signals NeoCloud watches for one GPU, from its last scrape.</summary>
public sealed record GpuSnapshot(
    int Gpu,
    string Uuid,
    double UtilizationPercent,
    double FramebufferUsedMiB,
    double TemperatureC,
    double PowerWatts,
    double SmClockMhz,
    double EccDbeVolatile,
    double EccSbeVolatile,
    double RowRemapFailure,
    double LastXid,
    double PcieReplays,
    double NvlinkCrcErrors,
    double ClockEventReasons);

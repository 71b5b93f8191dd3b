namespace NeoCloud.Health.Signals;

/// <summary>
/// One GPU's watched signals at one scrape, as dcgm-exporter reports them (counters are cumulative, as exported).
/// Filled from a parsed dcgm-exporter page in a host (<see cref="SignalFrameFiller"/>) or straight from the twin's state
/// in the headless simulation; detectors cannot tell the two apart.
/// </summary>
public struct GpuSample
{
    /// <summary>False when the GPU was not in the scrape (its node did not answer, or the page lacked it).</summary>
    public bool Present;

    /// <summary>The last XID the driver reported (DCGM_FI_DEV_XID_ERRORS); 0 when none.</summary>
    public int Xid;

    public float GpuTempC;
    public float MemoryTempC;
    public float PowerW;
    public float SmClockMhz;
    public float UtilPercent;

    /// <summary>DCGM_FI_DEV_CLOCKS_EVENT_REASONS bit mask (DCGM's values: 0x1 idle, 0x4 SW power cap, 0x8 HW slowdown, 0x20 SW thermal, 0x40 HW thermal, 0x80 HW power brake).</summary>
    public int ClockEventReasons;

    public long EccSbeVolatile;
    public long EccDbeVolatile;
    public long UncorrectableRemappedRows;
    public bool RowRemapPending;
    public bool RowRemapFailure;
    public long PcieReplays;

    /// <summary>NVLink CRC flit + data errors, summed over links.</summary>
    public long NvlinkCrcErrors;
    public long NvlinkReplays;
}

using System.Collections.Frozen;
using System.Text;
using NeoCloud.Telemetry.Exposition;

namespace NeoCloud.Telemetry.Dcgm;

/// <summary>Names, Prometheus types and help texts of the <see cref="DcgmField"/>s, with allocation-free lookup by metric name.</summary>
public static class DcgmFieldCatalog
{
    // Help texts follow dcgm-exporter's default-counters.csv where it has the field; the others are ours.
    private static readonly Descriptor[] Descriptors =
    [
        new(DcgmField.SmClock, "DCGM_FI_DEV_SM_CLOCK", MetricType.Gauge, "SM clock frequency (in MHz)."),
        new(DcgmField.MemClock, "DCGM_FI_DEV_MEM_CLOCK", MetricType.Gauge, "Memory clock frequency (in MHz)."),
        new(DcgmField.ClockEventReasons, "DCGM_FI_DEV_CLOCKS_EVENT_REASONS", MetricType.Gauge, "Bitmask of the reasons the clocks are currently held down.", "DCGM_FI_DEV_CLOCK_THROTTLE_REASONS"),
        new(DcgmField.MemoryTemp, "DCGM_FI_DEV_MEMORY_TEMP", MetricType.Gauge, "Memory temperature (in C)."),
        new(DcgmField.GpuTemp, "DCGM_FI_DEV_GPU_TEMP", MetricType.Gauge, "GPU temperature (in C)."),
        new(DcgmField.PowerUsage, "DCGM_FI_DEV_POWER_USAGE", MetricType.Gauge, "Power draw (in W)."),
        new(DcgmField.TotalEnergyConsumption, "DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION", MetricType.Counter, "Total energy consumption since boot (in mJ)."),
        new(DcgmField.PcieReplayCounter, "DCGM_FI_DEV_PCIE_REPLAY_COUNTER", MetricType.Counter, "Total number of PCIe retries."),
        new(DcgmField.GpuUtil, "DCGM_FI_DEV_GPU_UTIL", MetricType.Gauge, "GPU utilization (in %)."),
        new(DcgmField.MemCopyUtil, "DCGM_FI_DEV_MEM_COPY_UTIL", MetricType.Gauge, "Memory utilization (in %)."),
        new(DcgmField.XidErrors, "DCGM_FI_DEV_XID_ERRORS", MetricType.Gauge, "Value of the last XID error encountered."),
        new(DcgmField.FbFree, "DCGM_FI_DEV_FB_FREE", MetricType.Gauge, "Framebuffer memory free (in MiB)."),
        new(DcgmField.FbUsed, "DCGM_FI_DEV_FB_USED", MetricType.Gauge, "Framebuffer memory used (in MiB)."),
        new(DcgmField.FbReserved, "DCGM_FI_DEV_FB_RESERVED", MetricType.Gauge, "Framebuffer memory reserved (in MiB)."),
        new(DcgmField.EccSbeVolTotal, "DCGM_FI_DEV_ECC_SBE_VOL_TOTAL", MetricType.Counter, "Total number of single-bit volatile ECC errors."),
        new(DcgmField.EccDbeVolTotal, "DCGM_FI_DEV_ECC_DBE_VOL_TOTAL", MetricType.Counter, "Total number of double-bit volatile ECC errors."),
        new(DcgmField.EccSbeAggTotal, "DCGM_FI_DEV_ECC_SBE_AGG_TOTAL", MetricType.Counter, "Total number of single-bit persistent ECC errors."),
        new(DcgmField.EccDbeAggTotal, "DCGM_FI_DEV_ECC_DBE_AGG_TOTAL", MetricType.Counter, "Total number of double-bit persistent ECC errors."),
        new(DcgmField.UncorrectableRemappedRows, "DCGM_FI_DEV_UNCORRECTABLE_REMAPPED_ROWS", MetricType.Counter, "Number of remapped rows for uncorrectable errors"),
        new(DcgmField.CorrectableRemappedRows, "DCGM_FI_DEV_CORRECTABLE_REMAPPED_ROWS", MetricType.Counter, "Number of remapped rows for correctable errors"),
        new(DcgmField.RowRemapFailure, "DCGM_FI_DEV_ROW_REMAP_FAILURE", MetricType.Gauge, "Whether remapping of rows has failed"),
        new(DcgmField.RowRemapPending, "DCGM_FI_DEV_ROW_REMAP_PENDING", MetricType.Gauge, "Whether remapping of rows is pending"),
        new(DcgmField.NvlinkCrcFlitErrorCountTotal, "DCGM_FI_DEV_NVLINK_CRC_FLIT_ERROR_COUNT_TOTAL", MetricType.Counter, "Total number of NVLink flow-control CRC errors."),
        new(DcgmField.NvlinkCrcDataErrorCountTotal, "DCGM_FI_DEV_NVLINK_CRC_DATA_ERROR_COUNT_TOTAL", MetricType.Counter, "Total number of NVLink data CRC errors."),
        new(DcgmField.NvlinkReplayErrorCountTotal, "DCGM_FI_DEV_NVLINK_REPLAY_ERROR_COUNT_TOTAL", MetricType.Counter, "Total number of NVLink retries."),
        new(DcgmField.NvlinkRecoveryErrorCountTotal, "DCGM_FI_DEV_NVLINK_RECOVERY_ERROR_COUNT_TOTAL", MetricType.Counter, "Total number of NVLink recovery errors."),
        new(DcgmField.NvlinkBandwidthTotal, "DCGM_FI_DEV_NVLINK_BANDWIDTH_TOTAL", MetricType.Counter, "Total number of NVLink bandwidth counters for all lanes."),
        new(DcgmField.GrEngineActive, "DCGM_FI_PROF_GR_ENGINE_ACTIVE", MetricType.Gauge, "Ratio of time the graphics engine is active."),
        new(DcgmField.SmActive, "DCGM_FI_PROF_SM_ACTIVE", MetricType.Gauge, "The ratio of cycles an SM has at least 1 warp assigned."),
        new(DcgmField.SmOccupancy, "DCGM_FI_PROF_SM_OCCUPANCY", MetricType.Gauge, "The ratio of number of warps resident on an SM."),
        new(DcgmField.PipeTensorActive, "DCGM_FI_PROF_PIPE_TENSOR_ACTIVE", MetricType.Gauge, "Ratio of cycles the tensor (HMMA) pipe is active."),
        new(DcgmField.DramActive, "DCGM_FI_PROF_DRAM_ACTIVE", MetricType.Gauge, "Ratio of cycles the device memory interface is active sending or receiving data."),
    ];

    private static readonly FrozenDictionary<DcgmField, Descriptor> ByField =
        Descriptors.ToFrozenDictionary(d => d.Field);

    private static readonly FrozenDictionary<string, DcgmField> ByName = Descriptors
        .SelectMany(d => d.FormerName is null
            ? [KeyValuePair.Create(d.Name, d.Field)]
            : new[] { KeyValuePair.Create(d.Name, d.Field), KeyValuePair.Create(d.FormerName, d.Field) })
        .ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, DcgmField>.AlternateLookup<ReadOnlySpan<char>> ByNameSpan =
        ByName.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>Every field in the catalogue, in DCGM id order.</summary>
    public static IReadOnlyList<DcgmField> Fields { get; } = Descriptors.Select(d => d.Field).ToArray();

    /// <summary>The metric name dcgm-exporter gives the field (the current one where DCGM renamed it).</summary>
    public static string GetName(DcgmField field) => Describe(field).Name;

    public static MetricType GetMetricType(DcgmField field) => Describe(field).Type;

    public static string GetHelp(DcgmField field) => Describe(field).Help;

    /// <summary>Finds the field a metric name stands for, current or former name; does not allocate.</summary>
    public static bool TryGetField(ReadOnlySpan<char> metricName, out DcgmField field) =>
        ByNameSpan.TryGetValue(metricName, out field);

    /// <summary>Finds the field a UTF-8 metric name stands for; does not allocate.</summary>
    public static bool TryGetField(ReadOnlySpan<byte> utf8MetricName, out DcgmField field)
    {
        Span<char> name = stackalloc char[128];
        if (utf8MetricName.Length > name.Length
            || Ascii.ToUtf16(utf8MetricName, name, out int length) != System.Buffers.OperationStatus.Done)
        {
            field = DcgmField.Unknown;
            return false;
        }

        return ByNameSpan.TryGetValue(name[..length], out field);
    }

    internal static Descriptor Describe(DcgmField field) =>
        ByField.TryGetValue(field, out Descriptor? descriptor)
            ? descriptor
            : throw new ArgumentOutOfRangeException(nameof(field), field, "not a field of the DCGM catalogue");

    /// <summary>One field, with its name and HELP/TYPE header pre-encoded for the writer.</summary>
    internal sealed class Descriptor(DcgmField field, string name, MetricType type, string help, string? formerName = null)
    {
        public DcgmField Field { get; } = field;

        public string Name { get; } = name;

        public MetricType Type { get; } = type;

        public string Help { get; } = help;

        public string? FormerName { get; } = formerName;

        public byte[] NameUtf8 { get; } = Encoding.UTF8.GetBytes(name);

        public byte[] HeaderUtf8 { get; } = Encoding.UTF8.GetBytes(
            $"# HELP {name} {help}\n# TYPE {name} {type.ToString().ToLowerInvariant()}\n");
    }
}

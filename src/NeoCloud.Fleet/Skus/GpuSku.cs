namespace NeoCloud.Fleet.Skus;

/// <summary>A GPU model and the node it ships in, with the published specifications placement and the twin rely on.</summary>
/// <param name="Name">Catalogue key, e.g. <c>h100-sxm5-80gb</c>.</param>
/// <param name="ModelName">What NVML and dcgm-exporter report as <c>modelName</c>.</param>
/// <param name="MemoryGiB">HBM/GDDR capacity per GPU in GB as marketed.</param>
/// <param name="TdpWatts">Maximum board power per GPU.</param>
/// <param name="NvLinkGBps">Total NVLink bandwidth per GPU (GB/s, both directions); 0 for PCIe-only cards.</param>
/// <param name="GpusPerNode">GPUs in the standard node of this SKU.</param>
/// <param name="NvLinkDomainGpus">GPUs sharing one NVLink domain: 8 for HGX, 72 for an NVL72 rack, 1 without NVLink.</param>
/// <param name="MigProfiles">Multi-Instance GPU profiles the model supports (empty when it has no MIG).</param>
/// <param name="BaseSmClockMhz">Typical SM clock under load, used by the twin.</param>
/// <param name="MaxSmClockMhz">Boost SM clock.</param>
/// <param name="CpuCoresPerNode">Host CPU cores of the standard node.</param>
/// <param name="HostMemoryGiB">Host memory of the standard node.</param>
/// <param name="HourlyListPriceUsd">Indicative on-demand list price per GPU-hour, for cost defaults.</param>
public sealed record GpuSku(
    string Name,
    string ModelName,
    int MemoryGiB,
    int TdpWatts,
    int NvLinkGBps,
    int GpusPerNode,
    int NvLinkDomainGpus,
    IReadOnlyList<string> MigProfiles,
    int BaseSmClockMhz,
    int MaxSmClockMhz,
    int CpuCoresPerNode,
    int HostMemoryGiB,
    decimal HourlyListPriceUsd)
{
    /// <summary>True when one NVLink domain spans several nodes (a whole rack, as in GB200 NVL72).</summary>
    public bool RackScaleNvLink => NvLinkDomainGpus > GpusPerNode;

    public long MemoryBytes => MemoryGiB * 1_000_000_000L;
}

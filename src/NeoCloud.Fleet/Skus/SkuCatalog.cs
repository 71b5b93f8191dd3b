using System.Collections.Frozen;

namespace NeoCloud.Fleet.Skus;

/// <summary>The GPU models NeoCloud knows, with figures from NVIDIA's published data sheets.</summary>
/// <remarks>
/// Sources: NVIDIA H100, H200, B200/GB200 NVL72, L40S and A100 data sheets (SXM variants unless named).
/// Prices are indicative list prices for defaults only; the Cost context owns real prices.
/// </remarks>
public static class SkuCatalog
{
    public static readonly GpuSku H100Sxm5 = new(
        "h100-sxm5-80gb", "NVIDIA H100 80GB HBM3", 80, 700, 900, 8, 8,
        ["1g.10gb", "1g.20gb", "2g.20gb", "3g.40gb", "4g.40gb", "7g.80gb"], 1755, 1980, 112, 2048, 2.99m);

    public static readonly GpuSku H200 = new(
        "h200-141gb", "NVIDIA H200", 141, 700, 900, 8, 8,
        ["1g.18gb", "1g.35gb", "2g.35gb", "3g.71gb", "4g.71gb", "7g.141gb"], 1755, 1980, 112, 2048, 3.79m);

    public static readonly GpuSku B200 = new(
        "b200-192gb", "NVIDIA B200", 192, 1000, 1800, 8, 8,
        ["1g.23gb", "1g.45gb", "2g.45gb", "3g.90gb", "4g.90gb", "7g.180gb"], 1665, 1965, 112, 4096, 5.99m);

    // GB200 NVL72: 18 compute trays per rack, each with 2 Grace CPUs and 4 Blackwell GPUs; one NVLink domain of 72 GPUs.
    public static readonly GpuSku Gb200Nvl72 = new(
        "gb200-nvl72", "NVIDIA GB200", 186, 1200, 1800, 4, 72,
        ["1g.23gb", "1g.45gb", "2g.45gb", "3g.90gb", "4g.90gb", "7g.186gb"], 1665, 2062, 144, 960, 6.99m);

    public static readonly GpuSku L40S = new(
        "l40s-48gb", "NVIDIA L40S", 48, 350, 0, 8, 1,
        [], 1110, 2520, 64, 1024, 1.49m);

    public static readonly GpuSku A100Sxm4 = new(
        "a100-sxm4-80gb", "NVIDIA A100-SXM4-80GB", 80, 400, 600, 8, 8,
        ["1g.10gb", "1g.20gb", "2g.20gb", "3g.40gb", "4g.40gb", "7g.80gb"], 1275, 1410, 128, 2048, 1.79m);

    public static readonly IReadOnlyList<GpuSku> All = [H100Sxm5, H200, B200, Gb200Nvl72, L40S, A100Sxm4];

    private static readonly FrozenDictionary<string, GpuSku> ByName =
        All.ToFrozenDictionary(s => s.Name, StringComparer.OrdinalIgnoreCase);

    public static bool TryGet(string name, out GpuSku sku) => ByName.TryGetValue(name, out sku!);

    public static GpuSku Get(string name) =>
        TryGet(name, out var sku) ? sku : throw new KeyNotFoundException($"Unknown GPU SKU '{name}'. Known: {string.Join(", ", ByName.Keys)}.");
}

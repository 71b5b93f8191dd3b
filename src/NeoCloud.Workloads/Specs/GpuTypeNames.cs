using System.Collections.Frozen;
using NeoCloud.Fleet.Skus;

namespace NeoCloud.Workloads.Specs;

/// <summary>
/// Resolves the GPU type names users write to the Fleet SKU catalogue's keys: the key itself (<c>h100-sxm5-80gb</c>),
/// the key without its memory size (<c>h100-sxm5</c>) or the model family (<c>h100</c>, <c>gb200</c>), in any case.
/// </summary>
internal static class GpuTypeNames
{
    private static readonly FrozenDictionary<string, string> Aliases = Build();

    public static IEnumerable<string> Known => SkuCatalog.All.Select(s => s.Name);

    /// <summary>Every name that resolves: catalogue keys and their short forms (for "did you mean").</summary>
    public static IEnumerable<string> Names => Aliases.Keys;

    public static bool TryResolve(string name, out string sku) => Aliases.TryGetValue(name.Trim(), out sku!);

    /// <summary>The catalogue keys that support a MIG profile such as <c>1g.10gb</c>.</summary>
    public static IReadOnlyList<string> Supporting(string migProfile) =>
        [.. SkuCatalog.All.Where(s => s.MigProfiles.Contains(migProfile, StringComparer.OrdinalIgnoreCase)).Select(s => s.Name)];

    public static bool Supports(string sku, string migProfile) =>
        SkuCatalog.TryGet(sku, out var s) && s.MigProfiles.Contains(migProfile, StringComparer.OrdinalIgnoreCase);

    private static FrozenDictionary<string, string> Build()
    {
        var aliases = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var ambiguous = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var sku in SkuCatalog.All)
        {
            aliases[sku.Name] = sku.Name;
        }

        foreach (var sku in SkuCatalog.All)
        {
            string[] parts = sku.Name.Split('-');
            for (int n = parts.Length - 1; n >= 1; n--)
            {
                string alias = string.Join('-', parts[..n]);
                if (aliases.TryGetValue(alias, out string? other) && other != sku.Name)
                {
                    // Two SKUs share the prefix: it names neither.
                    ambiguous.Add(alias);
                }

                aliases.TryAdd(alias, sku.Name);
            }
        }

        foreach (string alias in ambiguous)
        {
            aliases.Remove(alias);
        }

        return aliases.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
    }
}

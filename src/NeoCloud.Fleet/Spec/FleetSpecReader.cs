using System.Text.RegularExpressions;
using NeoCloud.Fleet.Firmware;
using NeoCloud.Fleet.Skus;
using NeoCloud.Fleet.Topology;
using NeoCloud.Kernel.Manifests;
using YamlDotNet.RepresentationModel;

namespace NeoCloud.Fleet.Spec;

/// <summary>Reads and validates a <c>kind: Fleet</c> file; a bad file is rejected whole with every error's line and field.</summary>
public static partial class FleetSpecReader
{
    [GeneratedRegex("^[a-z][a-z0-9]{1,15}$")]
    private static partial Regex NamePattern();

    public static FleetSpec Parse(string yaml)
    {
        var errors = new List<SpecError>();
        var spec = TryParse(yaml, errors);
        if (errors.Count > 0 || spec is null)
        {
            throw new FleetSpecException(errors);
        }

        return spec;
    }

    public static FleetSpec ReadFile(string path) => Parse(File.ReadAllText(path));

    public static FleetSpec? TryParse(string yaml, List<SpecError> errors)
    {
        var document = ManifestDocument.Load(yaml, "Fleet", errors, "owner");
        document?.Metadata?.RejectUnknown();
        if (document is null)
        {
            return null;
        }

        string name = document.Name;
        var specNode = document.Spec;
        var defaultFirmware = ReadFirmware(specNode, "firmware", errors);
        var regions = new List<RegionSpec>();
        var regionNames = new HashSet<string>(StringComparer.Ordinal);
        var regionNodes = specNode.Sequence("regions", required: true);
        specNode.RejectUnknown();
        for (int r = 0; r < regionNodes.Count; r++)
        {
            var region = SpecMapping.From(regionNodes[r], $"spec.regions[{r}]", errors);
            if (region is null)
            {
                continue;
            }

            string regionName = ValidName(region, "name", errors) ?? $"region{r}";
            if (!regionNames.Add(regionName))
            {
                region.Error(region.Get("name"), "name", $"region '{regionName}' is declared twice");
            }

            string display = region.String("displayName", required: false, regionName)!;
            var sites = new List<SiteSpec>();
            var siteNames = new HashSet<string>(StringComparer.Ordinal);
            var siteNodes = region.Sequence("sites", required: true);
            region.RejectUnknown();
            for (int s = 0; s < siteNodes.Count; s++)
            {
                var site = SpecMapping.From(siteNodes[s], $"{region.Path}.sites[{s}]", errors);
                if (site is null)
                {
                    continue;
                }

                var siteSpec = ReadSite(site, defaultFirmware, errors);
                if (!siteNames.Add(siteSpec.Name))
                {
                    site.Error(site.Get("name"), "name", $"site '{siteSpec.Name}' is declared twice in region '{regionName}'");
                }

                sites.Add(siteSpec);
            }

            regions.Add(new RegionSpec(regionName, display, sites));
        }

        return errors.Count == 0 ? new FleetSpec(name, regions) : null;
    }

    private static string? ValidName(SpecMapping map, string key, List<SpecError> errors)
    {
        _ = errors;
        string? value = map.String(key, required: true);
        if (value is not null && !NamePattern().IsMatch(value))
        {
            map.Error(map.Get(key), key, $"'{value}' must be 2-16 lower-case letters and digits, starting with a letter (it becomes part of every id)");
        }

        return value;
    }

    private static SiteSpec ReadSite(SpecMapping site, FirmwareInventory? defaultFirmware, List<SpecError> errors)
    {
        string name = ValidName(site, "name", errors) ?? "site";
        string ownershipText = site.String("ownership", required: false, "self-built")!;
        SiteOwnership ownership = SiteOwnership.SelfBuilt;
        switch (ownershipText)
        {
            case "self-built":
                ownership = SiteOwnership.SelfBuilt;
                break;
            case "leased":
                ownership = SiteOwnership.Leased;
                break;
            default:
                site.Error(site.Get("ownership"), "ownership", $"must be 'self-built' or 'leased', got '{ownershipText}'");
                break;
        }

        string op = site.String("operator", required: false, "NeoCloud")!;
        string oem = site.String("oem", required: false, "Supermicro")!;
        int pods = site.Int("pods", 1, 64, 1);
        int racksPerPod = site.Int("racksPerPod", 1, 512, null);
        int nodesPerRack = site.Int("nodesPerRack", 1, 72, null);
        int pdusPerRack = site.Int("pdusPerRack", 1, 8, 2);

        var mix = new List<SkuShare>();
        var mixNodes = site.Sequence("skuMix", required: true);
        int total = 0;
        for (int i = 0; i < mixNodes.Count; i++)
        {
            var share = SpecMapping.From(mixNodes[i], $"{site.Path}.skuMix[{i}]", errors);
            if (share is null)
            {
                continue;
            }

            string? sku = share.String("sku", required: true);
            if (sku is not null && !SkuCatalog.TryGet(sku, out _))
            {
                share.Error(share.Get("sku"), "sku", $"unknown SKU '{sku}'; known: {string.Join(", ", SkuCatalog.All.Select(s => s.Name))}");
            }

            int percent = share.Int("percent", 1, 100, null);
            share.RejectUnknown();
            total += percent;
            if (sku is not null)
            {
                mix.Add(new SkuShare(sku, percent));
            }
        }

        if (mixNodes.Count > 0 && total != 100)
        {
            site.Error(site.Get("skuMix"), "skuMix", $"percentages must add up to 100, they add up to {total}");
        }

        var fabric = new FabricSpec(FabricKind.InfiniBand, 8, 32, 8, 400);
        var fabricMap = SpecMapping.From(site.Get("fabric"), $"{site.Path}.fabric", errors);
        if (fabricMap is not null)
        {
            string kindText = fabricMap.String("kind", required: false, "infiniband")!;
            FabricKind kind = kindText switch
            {
                "infiniband" => FabricKind.InfiniBand,
                "roce" => FabricKind.RoCE,
                _ => FabricKind.InfiniBand,
            };
            if (kindText is not ("infiniband" or "roce"))
            {
                fabricMap.Error(fabricMap.Get("kind"), "kind", $"must be 'infiniband' or 'roce', got '{kindText}'");
            }

            fabric = new FabricSpec(
                kind,
                fabricMap.Int("rails", 1, 16, 8),
                fabricMap.Int("nodesPerLeafGroup", 1, 256, 32),
                fabricMap.Int("spinesPerPod", 1, 64, 8),
                fabricMap.Int("linkSpeedGbps", 10, 1600, 400));
            fabricMap.RejectUnknown();
        }

        var firmware = ReadFirmware(site, "firmware", errors) ?? defaultFirmware;
        site.RejectUnknown();
        return new SiteSpec(name, ownership, op, oem, pods, racksPerPod, nodesPerRack, pdusPerRack, mix, fabric, firmware);
    }

    private static FirmwareInventory? ReadFirmware(SpecMapping parent, string key, List<SpecError> errors)
    {
        var map = SpecMapping.From(parent.Get(key), parent.Join(key), errors);
        if (map is null)
        {
            return null;
        }

        var inventory = new FirmwareInventory(
            map.String("bios", required: true) ?? "",
            map.String("bmc", required: true) ?? "",
            map.String("gpuVbios", required: true) ?? "",
            map.String("driver", required: true) ?? "",
            map.String("cuda", required: true) ?? "",
            map.String("nicFirmware", required: true) ?? "");
        map.RejectUnknown();
        return inventory;
    }
}

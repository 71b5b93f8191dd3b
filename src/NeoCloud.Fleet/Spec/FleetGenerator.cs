using System.Security.Cryptography;
using System.Text;
using NeoCloud.Fleet.Firmware;
using NeoCloud.Fleet.Lifecycle;
using NeoCloud.Fleet.Skus;
using NeoCloud.Fleet.Topology;
using NeoCloud.Kernel.Ids;

namespace NeoCloud.Fleet.Spec;

/// <summary>Builds the whole topology of a validated fleet spec. Deterministic: the same spec always gives the same ids, UUIDs and wiring.</summary>
public static class FleetGenerator
{
    // PCI bus ids of the eight GPUs on an HGX baseboard, as nvidia-smi shows them on common 8-GPU servers.
    private static readonly string[] HgxBusIds = ["18", "2a", "3a", "5d", "9a", "ab", "ba", "db"];

    public static FleetTopology Generate(FleetSpec spec)
    {
        var regions = new List<Region>();
        var sites = new List<Site>();
        var pods = new List<Pod>();
        var racks = new List<Rack>();
        var nodes = new List<Node>();
        var gpus = new List<Gpu>();
        var switches = new List<FabricSwitch>();
        var links = new List<FabricLink>();

        foreach (var r in spec.Regions)
        {
            var regionId = new RegionId(r.Name);
            regions.Add(new Region(regionId, r.DisplayName));
            foreach (var s in r.Sites)
            {
                var siteId = new SiteId($"{r.Name}-{s.Name}");
                sites.Add(new Site(siteId, regionId, s.Name, s.Ownership, s.Operator, s.Oem));
                var rackSkus = AssignRackSkus(s.SkuMix, s.Pods * s.RacksPerPod);
                int rackNumber = 0;
                for (int p = 1; p <= s.Pods; p++)
                {
                    var podId = new PodId($"{siteId}-su{p}");
                    pods.Add(new Pod(podId, siteId, p));
                    int nodeInPod = 0;
                    var podLeaves = new List<FabricSwitch>();
                    for (int k = 0; k < s.RacksPerPod; k++)
                    {
                        var sku = SkuCatalog.Get(rackSkus[rackNumber]);
                        rackNumber++;
                        var rackId = new RackId($"{siteId}-r{rackNumber:00}");
                        var pdus = Enumerable.Range(1, s.PdusPerRack).Select(i => new PduId($"{rackId}-pdu{i}")).ToArray();
                        racks.Add(new Rack(rackId, siteId, podId, rackNumber, pdus));

                        // A rack-scale NVLink SKU fills the rack with the trays of one NVLink domain.
                        int nodesInRack = sku.RackScaleNvLink ? sku.NvLinkDomainGpus / sku.GpusPerNode : s.NodesPerRack;
                        var firmware = s.Firmware ?? DefaultFirmware(sku);
                        for (int slot = 1; slot <= nodesInRack; slot++)
                        {
                            var nodeId = new NodeId($"{rackId}-n{slot:00}");
                            int group = (nodeInPod / s.Fabric.NodesPerLeafGroup) + 1;
                            nodeInPod++;
                            string leafGroup = $"{podId}-l{group:00}";
                            if ((nodeInPod - 1) % s.Fabric.NodesPerLeafGroup == 0)
                            {
                                for (int rail = 0; rail < s.Fabric.Rails; rail++)
                                {
                                    var leaf = new FabricSwitch(new SwitchId($"{leafGroup}-r{rail}"), siteId, podId, SwitchTier.Leaf, s.Fabric.Kind, leafGroup, rail);
                                    switches.Add(leaf);
                                    podLeaves.Add(leaf);
                                }
                            }

                            var nvlinkDomain = sku.RackScaleNvLink ? new NvLinkDomainId($"{rackId}-nvl") : new NvLinkDomainId($"{nodeId}-nvl");
                            var pdu = pdus[(slot - 1) % pdus.Length];
                            nodes.Add(new Node(
                                nodeId, regionId, siteId, podId, rackId, slot, sku.Name, nodeId.Value, leafGroup, nvlinkDomain, pdu,
                                sku.GpusPerNode, sku.CpuCoresPerNode, sku.HostMemoryGiB, firmware, LifecycleState.Available, HealthStatus.Healthy, 1));
                            for (int g = 0; g < sku.GpusPerNode; g++)
                            {
                                var gpuId = GpuId.Of(nodeId, g);
                                string bus = g < HgxBusIds.Length ? HgxBusIds[g] : (0x10 + g).ToString("x2");
                                int nic = g % s.Fabric.Rails;
                                gpus.Add(new Gpu(
                                    gpuId, nodeId, g, sku.Name, UuidFor(gpuId), $"00000000:{bus}:00.0",
                                    g < sku.GpusPerNode / 2 ? 0 : 1, nic, LifecycleState.Available, HealthStatus.Healthy));
                            }

                            for (int rail = 0; rail < s.Fabric.Rails; rail++)
                            {
                                string port = $"{nodeId}/mlx5_{rail}";
                                links.Add(new FabricLink($"{port}>{leafGroup}-r{rail}", LinkKind.NodeToLeaf, port, $"{leafGroup}-r{rail}", rail, s.Fabric.LinkSpeedGbps));
                            }
                        }
                    }

                    var spines = Enumerable.Range(1, s.Fabric.SpinesPerPod)
                        .Select(i => new FabricSwitch(new SwitchId($"{podId}-s{i:00}"), siteId, podId, SwitchTier.Spine, s.Fabric.Kind, null, -1))
                        .ToList();
                    switches.AddRange(spines);
                    foreach (var leaf in podLeaves)
                    {
                        foreach (var spine in spines)
                        {
                            links.Add(new FabricLink($"{leaf.Id}>{spine.Id}", LinkKind.LeafToSpine, leaf.Id.Value, spine.Id.Value, leaf.Rail, s.Fabric.LinkSpeedGbps));
                        }
                    }
                }
            }
        }

        return new FleetTopology(spec.Name, regions, sites, pods, racks, nodes, gpus, switches, links);
    }

    /// <summary>Splits a site's racks between SKUs by largest remainder, then interleaves them so each SKU spreads over pods.</summary>
    private static string[] AssignRackSkus(IReadOnlyList<SkuShare> mix, int rackCount)
    {
        var counts = mix.Select(m => (m.Sku, Exact: rackCount * m.Percent / 100.0)).ToList();
        var whole = counts.Select(c => (c.Sku, Count: (int)Math.Floor(c.Exact), Remainder: c.Exact - Math.Floor(c.Exact))).ToList();
        int missing = rackCount - whole.Sum(w => w.Count);
        foreach (int i in Enumerable.Range(0, whole.Count).OrderByDescending(i => whole[i].Remainder).ThenBy(i => i).Take(missing))
        {
            whole[i] = whole[i] with { Count = whole[i].Count + 1 };
        }

        // Deterministic interleave: at each step take the SKU furthest behind its target share.
        var result = new string[rackCount];
        var given = new int[whole.Count];
        for (int k = 0; k < rackCount; k++)
        {
            int best = -1;
            double bestLag = double.MinValue;
            for (int i = 0; i < whole.Count; i++)
            {
                if (given[i] >= whole[i].Count)
                {
                    continue;
                }

                double lag = ((k + 1) * (double)whole[i].Count / rackCount) - given[i];
                if (lag > bestLag)
                {
                    bestLag = lag;
                    best = i;
                }
            }

            result[k] = whole[best].Sku;
            given[best]++;
        }

        return result;
    }

    private static string UuidFor(GpuId id)
    {
        // A stable, UUID-shaped identity per GPU id, so the same fleet file always yields the same device UUIDs.
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(id.Value), hash);
        var guid = new Guid(hash[..16]);
        return "GPU-" + guid.ToString("D");
    }

    private static FirmwareInventory DefaultFirmware(GpuSku sku) => sku.Name switch
    {
        "b200-192gb" or "gb200-nvl72" => new("2.3.1", "24.10.2", "97.00.4B.00.01", "570.133.20", "12.8", "28.43.1014"),
        "l40s-48gb" => new("2.1.4", "13.2.0", "95.02.6E.00.02", "550.127.08", "12.4", "22.41.1000"),
        "a100-sxm4-80gb" => new("1.9.3", "12.6.1", "92.00.9E.00.03", "535.216.03", "12.2", "22.39.1002"),
        _ => new("2.2.0", "13.4.1", "96.00.99.00.01", "550.127.08", "12.4", "28.41.1000"),
    };
}

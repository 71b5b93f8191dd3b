using NeoCloud.Fleet.Lifecycle;
using NeoCloud.Fleet.Skus;
using NeoCloud.Fleet.Spec;
using NeoCloud.Fleet.Topology;
using NeoCloud.Kernel.Ids;

namespace NeoCloud.Fleet.Tests.Spec;

public sealed class FleetGeneratorTests
{
    private static readonly FleetTopology Default = FleetGenerator.Generate(DefaultFleet.Spec);

    [Fact]
    public void The_default_fleet_has_about_a_thousand_nodes_in_three_sites()
    {
        Assert.InRange(Default.Nodes.Count, 900, 1100);
        Assert.Equal(3, Default.Sites.Count);
        Assert.Equal(Default.Nodes.Sum(n => n.GpuCount), Default.Gpus.Count);
    }

    [Fact]
    public void Generation_is_deterministic()
    {
        var again = FleetGenerator.Generate(DefaultFleet.Spec);

        Assert.Equal(Default.Nodes, again.Nodes);
        Assert.Equal(Default.Gpus.Select(g => g.Uuid), again.Gpus.Select(g => g.Uuid));
        Assert.Equal(Default.Links, again.Links);
    }

    [Fact]
    public void Ids_are_printable_and_follow_the_naming_scheme()
    {
        var node = Default.Nodes[0];

        Assert.Equal("euw1-dc1-r01-n01", node.Id.Value);
        Assert.Equal("euw1-dc1-r01-n01/gpu5", GpuId.Of(node.Id, 5).Value);
        Assert.Equal(node.Id, GpuId.Of(node.Id, 5).Node);
        Assert.Equal(5, GpuId.Of(node.Id, 5).Index);
        Assert.All(Default.Gpus, g => Assert.Matches("^GPU-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", g.Uuid));
        Assert.Equal(Default.Gpus.Count, Default.Gpus.Select(g => g.Uuid).Distinct().Count());
    }

    [Fact]
    public void The_sku_mix_is_honoured_per_site()
    {
        var dc1 = Default.Nodes.Where(n => n.Site.Value == "euw1-dc1").ToList();
        double h100Share = dc1.Count(n => n.Sku == SkuCatalog.H100Sxm5.Name) / (double)dc1.Count;

        Assert.InRange(h100Share, 0.68, 0.72);
        Assert.All(dc1, n => Assert.Contains(n.Sku, new[] { SkuCatalog.H100Sxm5.Name, SkuCatalog.H200.Name }));
    }

    [Fact]
    public void An_nvl72_rack_is_one_nvlink_domain_of_72_gpus_and_an_hgx_node_is_its_own()
    {
        var nvl = Default.Nodes.Where(n => n.Sku == SkuCatalog.Gb200Nvl72.Name).GroupBy(n => n.NvLinkDomain).ToList();
        var hgx = Default.Nodes.Where(n => n.Sku == SkuCatalog.H100Sxm5.Name).GroupBy(n => n.NvLinkDomain).ToList();

        Assert.NotEmpty(nvl);
        Assert.All(nvl, domain => Assert.Equal(72, domain.Sum(n => n.GpuCount)));
        Assert.All(nvl, domain => Assert.Single(domain.Select(n => n.Rack).Distinct()));
        Assert.All(hgx, domain => Assert.Equal(8, Assert.Single(domain).GpuCount));
    }

    [Fact]
    public void Every_node_port_is_cabled_to_its_rails_leaf_and_every_leaf_to_every_spine_of_its_pod()
    {
        foreach (var node in Default.Nodes.Take(200))
        {
            var site = DefaultFleet.Spec.Regions.SelectMany(r => r.Sites.Select(s => (Id: $"{r.Name}-{s.Name}", s))).Single(x => x.Id == node.Site.Value).s;
            var ports = Default.Links.Where(l => l.Kind == LinkKind.NodeToLeaf && l.From.StartsWith(node.Id.Value + "/", StringComparison.Ordinal)).ToList();
            Assert.Equal(site.Fabric.Rails, ports.Count);
            Assert.All(ports, p => Assert.True(Default.TryGetSwitch(new SwitchId(p.To), out var leaf) && leaf.LeafGroup == node.LeafGroup && leaf.Rail == p.Rail));
        }

        var leaves = Default.Switches.Where(s => s.Tier == SwitchTier.Leaf).ToList();
        var spinesPerPod = Default.Switches.Where(s => s.Tier == SwitchTier.Spine).GroupBy(s => s.Pod).ToDictionary(g => g.Key, g => g.Count());
        Assert.All(leaves, leaf => Assert.Equal(spinesPerPod[leaf.Pod], Default.Links.Count(l => l.Kind == LinkKind.LeafToSpine && l.From == leaf.Id.Value)));
    }

    [Fact]
    public void Leaf_groups_hold_at_most_the_configured_nodes_and_switch_queries_find_them()
    {
        var groups = Default.Nodes.GroupBy(n => n.LeafGroup).ToList();
        Assert.All(groups, g => Assert.InRange(g.Count(), 1, 32));

        var leaf = Default.Switches.First(s => s.Tier == SwitchTier.Leaf);
        var under = Default.NodesUnderSwitch(leaf.Id);
        Assert.Equal(groups.Single(g => g.Key == leaf.LeafGroup).Count(), under.Count);
    }

    [Fact]
    public void Gpus_have_numa_and_nic_affinity_and_start_available()
    {
        var gpus = Default.Gpus.Where(g => g.Node == Default.Nodes[0].Id).ToList();

        Assert.Equal(8, gpus.Count);
        Assert.Equal([0, 0, 0, 0, 1, 1, 1, 1], gpus.Select(g => g.NumaNode));
        Assert.Equal(Enumerable.Range(0, 8), gpus.Select(g => g.Nic));
        Assert.All(gpus, g => Assert.Equal(LifecycleState.Available, g.State));
        Assert.Equal("00000000:18:00.0", gpus[0].PciBusId);
    }

    [Fact]
    public void Nodes_share_pdus_within_their_rack()
    {
        var rack = Default.Racks[0];
        var nodes = Default.NodesInRack(rack.Id).ToArray().Select(i => Default.Nodes[i]).ToList();

        Assert.All(nodes, n => Assert.Contains(n.Pdu, rack.Pdus));
        Assert.Equal(rack.Pdus.Count, nodes.Select(n => n.Pdu).Distinct().Count());
        Assert.Equal(nodes.Count, rack.Pdus.Sum(p => Default.NodesOnPdu(p).Length));
    }

    [Fact]
    public void A_scaled_fleet_lands_near_the_asked_size()
    {
        var big = FleetGenerator.Generate(DefaultFleet.ScaledTo(10_000));

        Assert.InRange(big.Nodes.Count, 9_500, 10_500);
        Assert.InRange(big.Gpus.Count, 70_000, 90_000);
    }
}

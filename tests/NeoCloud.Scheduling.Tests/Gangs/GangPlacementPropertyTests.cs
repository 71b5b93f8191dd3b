using FsCheck;
using FsCheck.Xunit;
using NeoCloud.Scheduling.Gangs;
using NeoCloud.Scheduling.Placement;
using NeoCloud.Scheduling.Topology;

namespace NeoCloud.Scheduling.Tests.Gangs;

/// <summary>
/// Invariants of gang placement over random topologies and random streams of place, release and (un)schedule, checked
/// after every step against a brute-force reading of the same state.
/// </summary>
public sealed class GangPlacementPropertyTests
{
    private static readonly string[] ModelNames = ["H100", "A100"];
    private static readonly TopologyLevel[] Levels = [TopologyLevel.NvlinkDomain, TopologyLevel.Node, TopologyLevel.Leaf, TopologyLevel.Block, TopologyLevel.Site];

    private static readonly SpreadLevel[] SpreadLevels = [SpreadLevel.Node, SpreadLevel.Rack, SpreadLevel.Leaf, SpreadLevel.Site];

    [Property(MaxTest = 300)]
    public void Capacity_stays_exact_gangs_are_whole_and_the_smallest_feasible_domain_is_used(PositiveInt seed) => Run(seed.Get);

    [Property(MaxTest = 200)]
    public void Spread_gangs_use_distinct_domains_and_are_placed_exactly_when_enough_domains_have_room(PositiveInt seed) => Run(seed.Get, spreadShare: 2);

    // spreadShare: in how many of 4 draws a gang is a spread gang (0: never, the packing property alone).
    private static void Run(int seed, int spreadShare = 0)
    {
        var random = new Random(seed);
        var nodes = RandomTopology(random);
        var topology = new ClusterTopology(nodes);
        var placer = new TopologyGangPlacer(topology);
        var live = new List<(GangRequest Gang, GangPlacement Placement)>();
        int steps = random.Next(1, 80);
        for (int step = 0; step < steps; step++)
        {
            int op = random.Next(10);
            if (op < 6)
            {
                var gang = RandomGang(random, step);
                if (random.Next(4) < spreadShare)
                {
                    // Spread pulls replicas apart, so required levels go (the placer refuses the pair); preferred ones stay and are ignored.
                    gang = gang with { Topology = [.. gang.Topology.Where(t => t.Mode == TopologyMode.Preferred)], Spread = SpreadLevels[random.Next(SpreadLevels.Length)] };
                    PlaceSpread(placer, gang, live, $"seed {seed} step {step}");
                }
                else
                {
                    Place(placer, gang, live, $"seed {seed} step {step}");
                }
            }
            else if (op < 9 && live.Count > 0)
            {
                int i = random.Next(live.Count);
                placer.Release(live[i].Gang, live[i].Placement);
                live.RemoveAt(i);
            }
            else
            {
                placer.SetSchedulable(random.Next(nodes.Count), random.Next(3) == 0);
            }

            Assert.Null(placer.AggregateProblem());
            Assert.Equal(Rebuilt(nodes, live), SnapshotImage.Of(placer.Snapshot));
        }

        // A restart restores running work with Bind onto a fresh placer and gets the same state back.
        var restored = new TopologyGangPlacer(new ClusterTopology(nodes));
        foreach (var (gang, placement) in live)
        {
            restored.Bind(gang, placement);
        }

        Assert.Equal(SnapshotImage.Of(placer.Snapshot), SnapshotImage.Of(restored.Snapshot));
        Assert.Null(restored.AggregateProblem());

        foreach (var (gang, placement) in live)
        {
            placer.Release(gang, placement);
        }

        Assert.Equal(SnapshotImage.Of(new ClusterSnapshot([.. nodes.Select(n => n.Capacity)])), SnapshotImage.Of(placer.Snapshot));
        Assert.Null(placer.AggregateProblem());
    }

    private static void Place(TopologyGangPlacer placer, GangRequest gang, List<(GangRequest, GangPlacement)> live, string where)
    {
        var topology = placer.Topology;
        string before = SnapshotImage.Of(placer.Snapshot);
        int bound = gang.Topology.Where(t => t.Mode == TopologyMode.Required).Select(t => Rank(t.Level)).DefaultIfEmpty(5).Min();
        int smallest = Enumerable.Range(0, 6).FirstOrDefault(rank => rank <= 5 && Feasible(placer, gang, rank), -1);
        var schedulable = Enumerable.Range(0, topology.NodeCount).Select(placer.IsSchedulable).ToArray();

        var placement = placer.TryPlace(gang);

        if (placement is null)
        {
            // Refused only when no domain within the required bound can hold it, and then nothing changed.
            Assert.True(smallest < 0 || smallest > bound, $"{where}: {gang} refused though rank {smallest} fits");
            Assert.Equal(before, SnapshotImage.Of(placer.Snapshot));
            return;
        }

        Assert.True(smallest >= 0 && smallest <= bound, $"{where}: {gang} placed though infeasible within rank {bound}");
        Assert.Equal(gang.Replicas, placement.Replicas.Count);
        var models = placer.Snapshot.ModelMask(gang.Replica.GpuModels);
        foreach (var binding in placement.Replicas)
        {
            Assert.True(schedulable[binding.Node], $"{where}: replica on unschedulable node {binding.Node}");
            Assert.Equal(gang.Replica.GpuCount, binding.GpuCount);
            Assert.True(gang.Replica.GpuCount == 0 || (models & (1UL << placer.Snapshot.ModelOf(binding.Node))) != 0, $"{where}: GPU model not allowed");
        }

        foreach (var requirement in gang.Topology.Where(t => t.Mode == TopologyMode.Required))
        {
            Assert.Single(placement.Replicas.Select(b => topology.DomainOf(b.Node, requirement.Level)).Distinct());
        }

        // Smallest domain first: the gang spans exactly the smallest level at which some domain could hold it.
        Assert.Equal(smallest, placement.Level is { } level ? Rank(level) : 5);
        live.Add((gang, placement));
    }

    private static void PlaceSpread(TopologyGangPlacer placer, GangRequest gang, List<(GangRequest, GangPlacement)> live, string where)
    {
        var topology = placer.Topology;
        var spread = gang.Spread!.Value;
        string before = SnapshotImage.Of(placer.Snapshot);
        var schedulable = Enumerable.Range(0, topology.NodeCount).Select(placer.IsSchedulable).ToArray();

        // One replica per domain, so each domain either has a node that takes one replica or not; greedy is exact then.
        int domainsWithRoom = Enumerable.Range(0, topology.NodeCount)
            .Where(n => topology.SpreadDomainOf(n, spread) >= 0 && Room(placer, gang with { Replicas = 1 }, n) >= 1)
            .Select(n => topology.SpreadDomainOf(n, spread))
            .Distinct()
            .Count();

        var placement = placer.TryPlace(gang);

        if (placement is null)
        {
            Assert.True(domainsWithRoom < gang.Replicas, $"{where}: {gang} refused though {domainsWithRoom} {spread} domains have room");
            Assert.Equal(before, SnapshotImage.Of(placer.Snapshot));
            return;
        }

        Assert.True(domainsWithRoom >= gang.Replicas, $"{where}: {gang} placed though only {domainsWithRoom} {spread} domains have room");
        Assert.Equal(gang.Replicas, placement.Replicas.Count);
        var domains = placement.Replicas.Select(b => topology.SpreadDomainOf(b.Node, spread)).ToArray();
        Assert.DoesNotContain(-1, domains);
        Assert.Equal(domains.Length, domains.Distinct().Count());
        foreach (var binding in placement.Replicas)
        {
            Assert.True(schedulable[binding.Node], $"{where}: replica on unschedulable node {binding.Node}");
            Assert.Equal(gang.Replica.GpuCount, binding.GpuCount);
        }

        live.Add((gang, placement));
    }

    private static int Rank(TopologyLevel level) => level switch
    {
        TopologyLevel.Node => 0,
        TopologyLevel.NvlinkDomain => 1,
        _ => (int)level,
    };

    private static TopologyLevel LevelOfRank(int rank) => rank switch
    {
        0 => TopologyLevel.Node,
        1 => TopologyLevel.NvlinkDomain,
        _ => (TopologyLevel)rank,
    };

    /// <summary>Brute force: some domain of the rank's level (rank 5: the cluster) has room for every replica.</summary>
    private static bool Feasible(TopologyGangPlacer placer, GangRequest gang, int rank)
    {
        var topology = placer.Topology;
        if (rank == 5)
        {
            return Enumerable.Range(0, topology.NodeCount).Sum(n => (long)Room(placer, gang, n)) >= gang.Replicas;
        }

        var level = LevelOfRank(rank);
        for (int d = 0; d < topology.DomainCount(level); d++)
        {
            long room = 0;
            foreach (int n in topology.NodesIn(level, d))
            {
                room += Room(placer, gang, n);
            }

            if (room >= gang.Replicas)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>How many replicas of the gang the node could take, written independently of the placer.</summary>
    private static int Room(TopologyGangPlacer placer, GangRequest gang, int node)
    {
        var snapshot = placer.Snapshot;
        var r = gang.Replica;
        if (!placer.IsSchedulable(node))
        {
            return 0;
        }

        int room = gang.Replicas;
        if (r.CpuMilli > 0)
        {
            room = Math.Min(room, snapshot.CpuFree(node) / r.CpuMilli);
        }

        if (r.MemoryMib > 0)
        {
            room = Math.Min(room, snapshot.MemoryFree(node) / r.MemoryMib);
        }

        if (r.GpuCount == 0)
        {
            return room;
        }

        if (r.GpuModels is { Count: > 0 } allowed && !allowed.Contains(snapshot.GpuModels[snapshot.ModelOf(node)]))
        {
            return 0;
        }

        var gpus = snapshot.GpuFree(node).ToArray();
        int gpuRoom = r.GpuMilli == 1000 ? gpus.Count(g => g == 1000) / r.GpuCount : gpus.Sum(g => g / r.GpuMilli);
        return Math.Min(room, gpuRoom);
    }

    private static string Rebuilt(IReadOnlyList<TopologyNode> nodes, List<(GangRequest Gang, GangPlacement Placement)> live)
    {
        var snapshot = new ClusterSnapshot([.. nodes.Select(n => n.Capacity)]);
        foreach (var (gang, placement) in live)
        {
            var request = snapshot.Resolve(gang.Replica);
            foreach (var binding in placement.Replicas)
            {
                // Throws if two live gangs were ever given the same GPU milli, CPU or memory.
                snapshot.Assign(binding, request);
            }
        }

        return SnapshotImage.Of(snapshot);
    }

    private static List<TopologyNode> RandomTopology(Random random)
    {
        var nodes = new List<TopologyNode>();
        int sites = random.Next(1, 3);
        bool racks = random.Next(3) == 0;
        for (int s = 0; s < sites; s++)
        {
            for (int b = random.Next(1, 3); b > 0; b--)
            {
                string block = $"s{s}-b{b}";
                for (int l = random.Next(1, 4); l > 0; l--)
                {
                    string leaf = $"{block}-l{l}";
                    int count = random.Next(1, 5);
                    for (int n = 0; n < count; n++)
                    {
                        string name = $"{leaf}-n{n}";
                        int gpus = random.Next(0, 9);
                        var capacity = new NodeCapacity(name, random.Next(1, 9) * 4000, random.Next(1, 9) * 8192, gpus, ModelNames[random.Next(ModelNames.Length)]);
                        // Racks as failure domains: two nodes a rack, racks that may straddle leaves, and now and then a node that names none.
                        string? rack = random.Next(8) == 0 ? null : $"s{s}-rack{(nodes.Count + random.Next(2)) / 2}";
                        nodes.Add(new TopologyNode(capacity, racks ? $"{leaf}-rack{n / 2}" : name, leaf, block, $"s{s}") { Rack = rack });
                    }
                }
            }
        }

        return nodes;
    }

    private static GangRequest RandomGang(Random random, int step)
    {
        int cpu = random.Next(0, 3) * 1000, memory = random.Next(0, 3) * 4096;
        IReadOnlyList<string>? models = random.Next(4) == 0 ? [ModelNames[random.Next(ModelNames.Length)]] : null;
        var replica = random.Next(8) switch
        {
            0 => new PlacementRequest(cpu + 1000, memory, 0, 0),
            1 or 2 => new PlacementRequest(cpu, memory, 1, random.Next(1, 10) * 100, models),
            _ => new PlacementRequest(cpu, memory, random.Next(1, 9), 1000, models),
        };
        var topology = new List<TopologyRequirement>();
        foreach (var level in Levels)
        {
            int draw = random.Next(6);
            if (draw == 0)
            {
                topology.Add(new TopologyRequirement(level, TopologyMode.Required));
            }
            else if (draw == 1)
            {
                topology.Add(new TopologyRequirement(level, TopologyMode.Preferred));
            }
        }

        return new GangRequest($"gang-{step}", random.Next(1, 7), replica, topology);
    }
}

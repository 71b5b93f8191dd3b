using System.Numerics;
using NeoCloud.Scheduling.Placement;
using NeoCloud.Scheduling.Topology;

namespace NeoCloud.Scheduling.Gangs;

/// <summary>
/// Places gangs all-or-nothing into the smallest topology domain that fits them (node → NVLink domain → leaf → block →
/// site → cluster), never above a required level, choosing the fullest domain that still fits (best fit) and, inside it,
/// the fullest nodes first, so that large domains stay whole for large gangs.
/// </summary>
/// <remarks>
/// Speed comes from incremental aggregates kept on every change of a schedulable node: per domain and GPU model a
/// histogram of nodes by free whole GPUs and the free GPU milli, a bucket index of nodes by free whole GPUs and of partly
/// used GPUs by free milli. A single-node gang is answered from the buckets; a multi-node one scans domain aggregates and
/// walks only the nodes of the domain it picks; a gang that cannot fit is rejected from the cluster aggregates without
/// touching a node. The placer must be the only writer of its snapshot, or the aggregates go stale.
/// <see cref="Bind"/> restores work decided earlier, so it checks capacity, GPU models and required levels but not
/// whether the nodes are schedulable now: work on a cordoned node is still there.
/// A spread gang (<see cref="GangRequest.Spread"/>) takes another path, replica by replica into distinct failure domains
/// (see <see cref="TryPlaceSpread"/>); the packing path above does not look at spread at all.
/// A preferred level needs no extra work: the search always goes smallest level first, so a preferred level holds
/// whenever one of its domains fits the gang; unlike a required one, the search goes on above it when none does.
/// </remarks>
public sealed class TopologyGangPlacer : IGangPlacer
{
    // Multi-node domain levels with aggregates; the cluster is one more level with a single domain.
    private const int GroupNvlink = 0;
    private const int GroupLeaf = 1;
    private const int GroupCount = 5;

    // How many equally good nodes are compared on the fullness of their leaf at the node level.
    private const int NodeTieCandidates = 8;

    /// <summary>Most candidate nodes a <see cref="Scorer"/> may be asked to rank for one replica.</summary>
    public const int MaxScorerCandidates = 4096;

    /// <summary>Candidates ranked by default: on openb within 0.02 points of ranking every node, at about 26,000 replicas/s on 80,000 GPUs.</summary>
    public const int DefaultScorerCandidates = 1024;

    private readonly int[] _scored = new int[MaxScorerCandidates];
    private int[] _seenAt = [];
    private int _seenStamp;
    private int _scorerCandidates = DefaultScorerCandidates;

    private static readonly TopologyLevel[] GroupLevels = [TopologyLevel.NvlinkDomain, TopologyLevel.Leaf, TopologyLevel.Block, TopologyLevel.Site];

    private readonly ClusterTopology _topology;
    private readonly ClusterSnapshot _snapshot;
    private readonly int _models;
    private readonly int _width;
    private readonly bool[] _schedulable;
    private readonly int[] _wholeFree;
    private readonly int[][] _groupOf = new int[GroupCount][];
    private readonly int[] _groupDomains = new int[GroupCount];
    private readonly int[][] _histogram = new int[GroupCount][];
    private readonly long[][] _freeMilli = new long[GroupCount][];
    private readonly BucketedSet _nodesByWhole;
    private readonly BucketedSet _gpusByFree;
    private readonly int[] _gpuStart;
    private readonly int[] _allNodes;
    private readonly long[] _order;
    private readonly long[] _domainOrder;
    private readonly int[] _tie = new int[NodeTieCandidates];
    private Binding[] _plan = new Binding[16];
    private int _planned;

    /// <summary>A placer over the topology's snapshot, every node schedulable. It must be the snapshot's only writer: a topology takes one placer.</summary>
    public TopologyGangPlacer(ClusterTopology topology)
        : this(topology ?? throw new ArgumentNullException(nameof(topology)), null)
    {
        if (!topology.ClaimSnapshot())
        {
            throw new InvalidOperationException("this topology already has a placer; its snapshot may have only one writer, so build a new ClusterTopology");
        }
    }

    // Builds every aggregate from the snapshot as it is; AggregateProblem uses it with the live schedulable flags.
    private TopologyGangPlacer(ClusterTopology topology, bool[]? schedulable)
    {
        _topology = topology;
        _snapshot = topology.Snapshot;
        int nodes = _snapshot.NodeCount;
        _models = _snapshot.GpuModels.Count;
        int maxGpus = 0;
        _gpuStart = new int[nodes + 1];
        for (int n = 0; n < nodes; n++)
        {
            maxGpus = Math.Max(maxGpus, _snapshot.GpuCount(n));
            _gpuStart[n + 1] = _gpuStart[n] + _snapshot.GpuCount(n);
        }

        _width = maxGpus + 1;
        _schedulable = schedulable is null ? new bool[nodes] : [.. schedulable];
        if (schedulable is null)
        {
            Array.Fill(_schedulable, true);
        }

        _wholeFree = new int[nodes];
        _allNodes = [.. Enumerable.Range(0, nodes)];
        _order = new long[nodes];
        _domainOrder = new long[nodes];
        for (int g = 0; g < GroupCount; g++)
        {
            bool cluster = g == GroupCount - 1;
            _groupOf[g] = cluster ? new int[nodes] : [.. Enumerable.Range(0, nodes).Select(n => topology.DomainOf(n, GroupLevels[g]))];
            _groupDomains[g] = cluster ? 1 : topology.DomainCount(GroupLevels[g]);
            _histogram[g] = new int[_groupDomains[g] * _models * _width];
            _freeMilli[g] = new long[_groupDomains[g] * _models];
        }

        _nodesByWhole = new BucketedSet(_models * _width, nodes);
        _gpusByFree = new BucketedSet(_models * PlacementRequest.WholeGpu, _gpuStart[nodes]);
        for (int n = 0; n < nodes; n++)
        {
            Contribute(n, +1);
        }
    }

    public ClusterSnapshot Snapshot => _snapshot;

    /// <summary>
    /// When set, a single-replica gang goes to the best of up to <see cref="ScorerCandidates"/> candidate nodes (the
    /// tightest first; every fitting node for CPU-only work) by this scorer, on the GPUs it chooses, instead of simply the
    /// tightest. It must describe this placer's snapshot as it is
    /// now; the placer tells it about every change after that.
    /// </summary>
    public INodeScorer? Scorer { get; set; }

    /// <summary>
    /// How many candidate nodes (tightest first) the <see cref="Scorer"/> ranks per single-node replica: more places
    /// better and costs a score per candidate (on openb 4,096 — every node — matches scoring every node, 1,024 comes within 0.02 points, 256 passes FGD, 64 not on
    /// default; see benchmarks.md).
    /// </summary>
    public int ScorerCandidates
    {
        get => _scorerCandidates;
        set => _scorerCandidates = value is >= 1 and <= MaxScorerCandidates
            ? value
            : throw new ArgumentOutOfRangeException(nameof(value), value, $"between 1 and {MaxScorerCandidates}");
    }

    public ClusterTopology Topology => _topology;

    public bool IsSchedulable(int node) => _schedulable[CheckNode(node)];

    public void SetSchedulable(int node, bool schedulable)
    {
        CheckNode(node);
        if (_schedulable[node] == schedulable)
        {
            return;
        }

        if (schedulable)
        {
            _schedulable[node] = true;
            Contribute(node, +1);
        }
        else
        {
            Contribute(node, -1);
            _schedulable[node] = false;
        }
    }

    public GangPlacement? TryPlace(GangRequest gang)
    {
        var request = Resolve(gang);
        if (gang.Spread is { } spread)
        {
            return TryPlaceSpread(gang, request, spread);
        }

        int replicas = gang.Replicas;
        int bound = BoundRank(gang.Topology);

        // A gang that the whole cluster cannot hold is turned away from the aggregates alone.
        if (UpperBound(GroupCount - 1, 0, request, replicas) < replicas)
        {
            return null;
        }

        _planned = 0;
        EnsurePlan(replicas);
        bool found = TryOneNode(request, replicas);
        for (int rank = 1; !found && rank <= bound; rank++)
        {
            int group = rank - 1;
            if (group == GroupNvlink && !_topology.NvlinkSpansNodes)
            {
                continue;
            }

            found = TryGroup(group, request, replicas);
        }

        if (!found)
        {
            return null;
        }

        var bindings = _plan.AsSpan(0, replicas).ToArray();
        Apply(bindings, request);
        return new GangPlacement(gang.Id, bindings) { Level = LevelOf(bindings) };
    }

    public void Bind(GangRequest gang, GangPlacement placement)
    {
        var request = Resolve(gang);
        Check(gang, placement);
        foreach (var requirement in gang.Topology)
        {
            if (requirement.Mode == TopologyMode.Required && !WithinOneDomain(placement.Replicas, requirement.Level))
            {
                throw new InvalidOperationException($"placement of gang {gang.Id} spans several domains of level {requirement.Level}, which the gang requires");
            }
        }

        if (gang.Spread is { } spread && SpreadProblem(placement.Replicas, spread) is { } problem)
        {
            throw new InvalidOperationException($"placement of gang {gang.Id} breaks its spread across {spread}: {problem}");
        }

        var bindings = placement.Replicas;
        for (int i = 0; i < bindings.Count; i++)
        {
            try
            {
                Change(bindings[i], request, assign: true);
            }
            catch (Exception e) when (e is InvalidOperationException or ArgumentOutOfRangeException)
            {
                for (int j = i - 1; j >= 0; j--)
                {
                    Change(bindings[j], request, assign: false);
                }

                throw new InvalidOperationException($"placement of gang {gang.Id} does not fit, replica {i}: {e.Message}", e);
            }
        }
    }

    public void Release(GangRequest gang, GangPlacement placement)
    {
        var request = Resolve(gang);
        Check(gang, placement);
        var bindings = placement.Replicas;
        for (int i = 0; i < bindings.Count; i++)
        {
            try
            {
                Change(bindings[i], request, assign: false);
            }
            catch (Exception e) when (e is InvalidOperationException or ArgumentOutOfRangeException)
            {
                for (int j = i - 1; j >= 0; j--)
                {
                    Change(bindings[j], request, assign: true);
                }

                throw new InvalidOperationException($"placement of gang {gang.Id} cannot be released, replica {i}: {e.Message}", e);
            }
        }
    }

    /// <summary>Recomputes every aggregate from the snapshot and says what differs, or null: the tests' check that the incremental upkeep is exact.</summary>
    internal string? AggregateProblem()
    {
        var fresh = new TopologyGangPlacer(_topology, _schedulable);
        for (int g = 0; g < GroupCount; g++)
        {
            if (!_histogram[g].AsSpan().SequenceEqual(fresh._histogram[g]))
            {
                return $"histogram of group {g} differs";
            }

            if (!_freeMilli[g].AsSpan().SequenceEqual(fresh._freeMilli[g]))
            {
                return $"free milli of group {g} differs";
            }
        }

        for (int n = 0; n < _snapshot.NodeCount; n++)
        {
            if (_nodesByWhole.BucketOf(n) != fresh._nodesByWhole.BucketOf(n) || (_schedulable[n] && _wholeFree[n] != fresh._wholeFree[n]))
            {
                return $"node {n} is in the wrong whole-GPU bucket";
            }
        }

        for (int gpu = 0; gpu < _gpuStart[^1]; gpu++)
        {
            if (_gpusByFree.BucketOf(gpu) != fresh._gpusByFree.BucketOf(gpu))
            {
                return $"GPU {gpu} is in the wrong share bucket";
            }
        }

        return null;
    }

    private int CheckNode(int node) =>
        (uint)node < (uint)_snapshot.NodeCount ? node : throw new ArgumentOutOfRangeException(nameof(node), $"no node {node}; the topology has {_snapshot.NodeCount}");

    private ResolvedRequest Resolve(GangRequest gang)
    {
        ArgumentNullException.ThrowIfNull(gang);
        if (gang.Replicas < 1)
        {
            throw new ArgumentException($"gang {gang.Id}: replicas must be at least 1, got {gang.Replicas}", nameof(gang));
        }

        if (gang.Replica is null)
        {
            throw new ArgumentException($"gang {gang.Id}: replica request is missing", nameof(gang));
        }

        if (gang.Replica.Problem() is { } problem)
        {
            throw new ArgumentException($"gang {gang.Id}: {problem}", nameof(gang));
        }

        if (gang.Topology is null)
        {
            throw new ArgumentException($"gang {gang.Id}: topology list is missing (use an empty list for none)", nameof(gang));
        }

        int seen = 0;
        for (int i = 0; i < gang.Topology.Count; i++)
        {
            var requirement = gang.Topology[i];
            if (requirement is null || !Enum.IsDefined(requirement.Level) || !Enum.IsDefined(requirement.Mode))
            {
                throw new ArgumentException($"gang {gang.Id}: topology requirement {requirement} is not a known level and mode", nameof(gang));
            }

            int bit = 1 << (int)requirement.Level;
            if ((seen & bit) != 0)
            {
                throw new ArgumentException($"gang {gang.Id}: more than one topology requirement for level {requirement.Level}", nameof(gang));
            }

            seen |= bit;
        }

        if (gang.Spread is { } spread)
        {
            if (!Enum.IsDefined(spread))
            {
                throw new ArgumentException($"gang {gang.Id}: spread {spread} is not a known failure domain (node, rack, leaf, site)", nameof(gang));
            }

            foreach (var requirement in gang.Topology)
            {
                if (requirement.Mode == TopologyMode.Required)
                {
                    throw new ArgumentException(
                        $"gang {gang.Id}: spread across {spread} and a required topology level ({requirement.Level}) cannot be combined; the one keeps replicas apart, the other together",
                        nameof(gang));
                }
            }
        }

        return _snapshot.Resolve(gang.Replica);
    }

    private void Check(GangRequest gang, GangPlacement placement)
    {
        ArgumentNullException.ThrowIfNull(placement);
        if (placement.Id != gang.Id)
        {
            throw new ArgumentException($"placement {placement.Id} is not of gang {gang.Id}", nameof(placement));
        }

        if (placement.Replicas is null || placement.Replicas.Count != gang.Replicas)
        {
            throw new ArgumentException($"placement of gang {gang.Id} has {placement.Replicas?.Count ?? 0} replicas, the gang {gang.Replicas}", nameof(placement));
        }
    }

    // Search rank of a level: a node sits inside its NVLink domain, so the node comes first.
    private static int Rank(TopologyLevel level) => level switch
    {
        TopologyLevel.Node => 0,
        TopologyLevel.NvlinkDomain => 1,
        _ => (int)level,
    };

    private static int BoundRank(IReadOnlyList<TopologyRequirement> topology)
    {
        int bound = GroupCount;
        for (int i = 0; i < topology.Count; i++)
        {
            var requirement = topology[i];
            if (requirement.Mode == TopologyMode.Required)
            {
                bound = Math.Min(bound, Rank(requirement.Level));
            }
        }

        return bound;
    }

    private void EnsurePlan(int replicas)
    {
        if (_plan.Length < replicas)
        {
            _plan = new Binding[BitOperations.RoundUpToPowerOf2((uint)replicas)];
        }
    }

    /// <summary>How many replicas the node can take now, at most <paramref name="cap"/>.</summary>
    private int Capacity(int node, in ResolvedRequest request, int cap)
    {
        if (!_schedulable[node])
        {
            return 0;
        }

        if (request.CpuMilli > 0)
        {
            cap = Math.Min(cap, _snapshot.CpuFree(node) / request.CpuMilli);
        }

        if (request.MemoryMib > 0)
        {
            cap = Math.Min(cap, _snapshot.MemoryFree(node) / request.MemoryMib);
        }

        if (cap <= 0 || request.GpuCount == 0)
        {
            return Math.Max(cap, 0);
        }

        if ((request.ModelMask & (1UL << _snapshot.ModelOf(node))) == 0)
        {
            return 0;
        }

        if (!request.IsShare)
        {
            return Math.Min(cap, _wholeFree[node] / request.GpuCount);
        }

        int shares = 0;
        foreach (int free in _snapshot.GpuFree(node))
        {
            shares += free / request.GpuMilli;
            if (shares >= cap)
            {
                return cap;
            }
        }

        return shares;
    }

    /// <summary>Most replicas a domain could hold by its GPUs alone (CPU and memory not counted): a necessary condition, exact for whole GPUs.</summary>
    private long UpperBound(int group, int domain, in ResolvedRequest request, int enough)
    {
        if (request.GpuCount == 0)
        {
            return long.MaxValue;
        }

        long total = 0;
        for (ulong mask = request.ModelMask & ModelsPresent; mask != 0; mask &= mask - 1)
        {
            int model = BitOperations.TrailingZeroCount(mask);
            int slot = domain * _models + model;
            if (request.IsShare)
            {
                total += _freeMilli[group][slot] / request.GpuMilli;
            }
            else
            {
                var histogram = _histogram[group].AsSpan(slot * _width, _width);
                for (int k = request.GpuCount; k < _width; k++)
                {
                    total += histogram[k] * (k / request.GpuCount);
                }
            }

            if (total >= enough)
            {
                return total;
            }
        }

        return total;
    }

    private ulong ModelsPresent => _models == 64 ? ulong.MaxValue : (1UL << _models) - 1;

    private long FreeMilli(int group, int domain, in ResolvedRequest request)
    {
        long total = 0;
        ulong mask = request.GpuCount == 0 ? ModelsPresent : request.ModelMask & ModelsPresent;
        for (; mask != 0; mask &= mask - 1)
        {
            total += _freeMilli[group][(domain * _models) + BitOperations.TrailingZeroCount(mask)];
        }

        return total;
    }

    /// <summary>The node level: the one node with the least room that still takes every replica, from the bucket index.</summary>
    private bool TryOneNode(in ResolvedRequest request, int replicas)
    {
        if (Scorer is { } scorer && replicas == 1 && TryScored(scorer, request))
        {
            return true;
        }

        int node = -1;
        if (request.GpuCount == 0)
        {
            node = SpareCpuNode(request, replicas);
        }
        else if (request.IsShare)
        {
            node = TightestShareNode(request, replicas);
        }
        else
        {
            node = FullestNodeWithWhole(request, replicas, (long)replicas * request.GpuCount);
        }

        if (node < 0)
        {
            return false;
        }

        PlanOnNode(node, request, replicas);
        return true;
    }

    // The candidates come from the same indexes, tightest first, so a scorer that cannot tell nodes apart keeps best fit.
    private bool TryScored(INodeScorer scorer, in ResolvedRequest request)
    {
        if (request.GpuCount == 0)
        {
            return TryScoredCpuOnly(scorer, request);
        }

        int count = request.IsShare ? ShareCandidates(request) : WholeCandidates(request);
        if (count == 0)
        {
            return false;
        }

        int best = _scored[0];
        double bestScore = scorer.Score(_snapshot, request, best);
        for (int i = 1; i < count; i++)
        {
            double score = scorer.Score(_snapshot, request, _scored[i]);
            if (score > bestScore)
            {
                best = _scored[i];
                bestScore = score;
            }
        }

        ulong mask = scorer.ChooseGpus(_snapshot, request, best);
        if (!Usable(best, request, mask))
        {
            PlanOnNode(best, request, 1);
            return true;
        }

        _plan[_planned++] = new Binding(best, mask);
        return true;
    }

    // CPU-only work has no index: every node that fits is scored (such work is rare on a GPU cloud, and where it lands
    // decides whether GPUs are stranded without cores).
    private bool TryScoredCpuOnly(INodeScorer scorer, in ResolvedRequest request)
    {
        int best = -1;
        double bestScore = double.NegativeInfinity;
        foreach (int n in _allNodes)
        {
            if (Capacity(n, request, 1) < 1)
            {
                continue;
            }

            double score = scorer.Score(_snapshot, request, n);
            if (score > bestScore)
            {
                best = n;
                bestScore = score;
            }
        }

        if (best < 0)
        {
            return false;
        }

        _plan[_planned++] = new Binding(best, 0);
        return true;
    }

    private bool Usable(int node, in ResolvedRequest request, ulong mask)
    {
        if (BitOperations.PopCount(mask) != request.GpuCount)
        {
            return false;
        }

        var gpus = _snapshot.GpuFree(node);
        for (ulong m = mask; m != 0; m &= m - 1)
        {
            int g = BitOperations.TrailingZeroCount(m);
            if (g >= gpus.Length || gpus[g] < request.GpuMilli)
            {
                return false;
            }
        }

        return true;
    }

    private int WholeCandidates(in ResolvedRequest request)
    {
        int found = 0;
        for (long k = request.GpuCount; k < _width && found < _scorerCandidates; k++)
        {
            for (ulong mask = request.ModelMask & ModelsPresent; mask != 0 && found < _scorerCandidates; mask &= mask - 1)
            {
                foreach (int n in _nodesByWhole.Items((BitOperations.TrailingZeroCount(mask) * _width) + (int)k))
                {
                    if (Capacity(n, request, 1) >= 1)
                    {
                        _scored[found++] = n;
                        if (found == _scorerCandidates)
                        {
                            break;
                        }
                    }
                }
            }
        }

        return found;
    }

    private int ShareCandidates(in ResolvedRequest request)
    {
        // A node may hold several partly used GPUs: a stamp per node keeps each candidate once without a search.
        if (_seenAt.Length != _snapshot.NodeCount)
        {
            _seenAt = new int[_snapshot.NodeCount];
        }

        if (++_seenStamp == int.MaxValue)
        {
            Array.Clear(_seenAt);
            _seenStamp = 1;
        }

        int found = 0;
        for (int v = request.GpuMilli; v < PlacementRequest.WholeGpu && found < _scorerCandidates; v++)
        {
            for (ulong mask = request.ModelMask & ModelsPresent; mask != 0 && found < _scorerCandidates; mask &= mask - 1)
            {
                foreach (int gpu in _gpusByFree.Items((BitOperations.TrailingZeroCount(mask) * PlacementRequest.WholeGpu) + v))
                {
                    int n = NodeOfGpu(gpu);
                    if (_seenAt[n] != _seenStamp && Capacity(n, request, 1) >= 1)
                    {
                        _seenAt[n] = _seenStamp;
                        _scored[found++] = n;
                        if (found == _scorerCandidates)
                        {
                            break;
                        }
                    }
                }
            }
        }

        for (int k = 1; k < _width && found < _scorerCandidates; k++)
        {
            for (ulong mask = request.ModelMask & ModelsPresent; mask != 0 && found < _scorerCandidates; mask &= mask - 1)
            {
                foreach (int n in _nodesByWhole.Items((BitOperations.TrailingZeroCount(mask) * _width) + k))
                {
                    if (_seenAt[n] != _seenStamp && Capacity(n, request, 1) >= 1)
                    {
                        _seenAt[n] = _seenStamp;
                        _scored[found++] = n;
                        if (found == _scorerCandidates)
                        {
                            break;
                        }
                    }
                }
            }
        }

        return found;
    }

    // CPU-only gangs are rare on a GPU cloud and have no index: a scan for the node with the most CPU and memory to spare
    // beyond what its free GPUs need at the node's own cores and memory per GPU. First fit in node order would eat the
    // cores of GPU nodes and strand their GPUs (on openb it cost over ten points of allocation at 130% arrival).
    private int SpareCpuNode(in ResolvedRequest request, int replicas)
    {
        int best = -1;
        double bestSpare = double.NegativeInfinity;
        foreach (int n in _allNodes)
        {
            if (Capacity(n, request, replicas) < replicas)
            {
                continue;
            }

            int gpus = _snapshot.GpuCount(n);
            double freeGpus = _snapshot.GpuFreeTotal(n) / (double)PlacementRequest.WholeGpu;
            double spareCpu = gpus == 0 ? _snapshot.CpuFree(n) : _snapshot.CpuFree(n) - (freeGpus * _snapshot.CpuCapacity(n) / gpus);
            double spareMemory = gpus == 0 ? _snapshot.MemoryFree(n) : _snapshot.MemoryFree(n) - (freeGpus * _snapshot.MemoryCapacity(n) / gpus);
            double spare = Math.Min(spareCpu / Math.Max(1, _snapshot.CpuCapacity(n)), spareMemory / Math.Max(1, _snapshot.MemoryCapacity(n)));
            if (spare > bestSpare)
            {
                best = n;
                bestSpare = spare;
            }
        }

        return best;
    }

    private int FullestNodeWithWhole(in ResolvedRequest request, int replicas, long gpus)
    {
        for (long k = gpus; k < _width; k++)
        {
            int found = 0;
            for (ulong mask = request.ModelMask & ModelsPresent; mask != 0 && found < NodeTieCandidates; mask &= mask - 1)
            {
                int bucket = (BitOperations.TrailingZeroCount(mask) * _width) + (int)k;
                foreach (int n in _nodesByWhole.Items(bucket))
                {
                    if (Capacity(n, request, replicas) >= replicas)
                    {
                        _tie[found++] = n;
                        if (found == NodeTieCandidates)
                        {
                            break;
                        }
                    }
                }
            }

            if (found > 0)
            {
                return FullestLeaf(found);
            }
        }

        return -1;
    }

    // Among equally tight nodes, the one whose leaf has the least free GPU capacity, so that emptier leaves stay whole.
    private int FullestLeaf(int count)
    {
        int best = _tie[0];
        long bestFree = LeafFree(best);
        for (int i = 1; i < count; i++)
        {
            long free = LeafFree(_tie[i]);
            if (free < bestFree || (free == bestFree && _tie[i] < best))
            {
                best = _tie[i];
                bestFree = free;
            }
        }

        return best;
    }

    private long LeafFree(int node) => _freeMilli[GroupLeaf][(_groupOf[GroupLeaf][node] * _models) + _snapshot.ModelOf(node)];

    private int TightestShareNode(in ResolvedRequest request, int replicas)
    {
        // A partly used GPU with the least free milli that still fits first, then a whole GPU on the node with the fewest.
        for (int v = request.GpuMilli; v < PlacementRequest.WholeGpu; v++)
        {
            for (ulong mask = request.ModelMask & ModelsPresent; mask != 0; mask &= mask - 1)
            {
                int bucket = (BitOperations.TrailingZeroCount(mask) * PlacementRequest.WholeGpu) + v;
                foreach (int gpu in _gpusByFree.Items(bucket))
                {
                    int n = NodeOfGpu(gpu);
                    if (Capacity(n, request, replicas) >= replicas)
                    {
                        return n;
                    }
                }
            }
        }

        for (int k = 1; k < _width; k++)
        {
            for (ulong mask = request.ModelMask & ModelsPresent; mask != 0; mask &= mask - 1)
            {
                foreach (int n in _nodesByWhole.Items((BitOperations.TrailingZeroCount(mask) * _width) + k))
                {
                    if (Capacity(n, request, replicas) >= replicas)
                    {
                        return n;
                    }
                }
            }
        }

        return -1;
    }

    private int NodeOfGpu(int gpu)
    {
        int n = Array.BinarySearch(_gpuStart, gpu);
        if (n < 0)
        {
            return ~n - 1;
        }

        // Nodes without GPUs share a start with the next node: take the last node starting here.
        while (n + 1 < _gpuStart.Length && _gpuStart[n + 1] == gpu)
        {
            n++;
        }

        return n;
    }

    /// <summary>A level of multi-node domains: candidates by aggregates, best fit first, then a walk of the chosen domain's nodes.</summary>
    private bool TryGroup(int group, in ResolvedRequest request, int replicas)
    {
        int count = 0;
        for (int d = 0; d < _groupDomains[group]; d++)
        {
            if (UpperBound(group, d, request, replicas) >= replicas)
            {
                _domainOrder[count++] = (FreeMilli(group, d, request) << 24) | (uint)d;
            }
        }

        if (count == 0)
        {
            return false;
        }

        // Best fit: the domain with the least free capacity first (ties by index); domain indexes fit in 24 bits.
        var domains = _domainOrder.AsSpan(0, count);
        domains.Sort();
        foreach (long key in domains)
        {
            int d = (int)(key & 0xFFFFFF);
            var nodes = group == GroupCount - 1 ? _allNodes : NodesOf(group, d);
            if (PlanInDomain(nodes, request, replicas))
            {
                return true;
            }
        }

        return false;
    }

    private ReadOnlySpan<int> NodesOf(int group, int domain) => _topology.NodesIn(GroupLevels[group], domain);

    private bool PlanInDomain(ReadOnlySpan<int> nodes, in ResolvedRequest request, int replicas)
    {
        int count = 0;
        long room = 0;
        foreach (int n in nodes)
        {
            if (!request.IsShare && request.GpuCount > 0 && _wholeFree[n] < request.GpuCount)
            {
                continue;
            }

            int c = Capacity(n, request, replicas);
            if (c > 0)
            {
                long free = request.GpuCount == 0 ? _snapshot.CpuFree(n) : _snapshot.GpuFreeTotal(n);
                _order[count++] = (free << 32) | (uint)n;
                room += c;
            }
        }

        if (room < replicas)
        {
            return false;
        }

        var order = _order.AsSpan(0, count);
        order.Sort();
        _planned = 0;
        int left = replicas;
        foreach (long key in order)
        {
            int n = (int)(key & 0xFFFFFFFF);
            int take = Capacity(n, request, left);
            PlanOnNode(n, request, take);
            left -= take;
            if (left == 0)
            {
                break;
            }
        }

        return true;
    }

    /// <summary>Appends bindings for <paramref name="replicas"/> replicas on one node: lowest free whole GPUs, or the tightest GPU per share.</summary>
    private void PlanOnNode(int node, in ResolvedRequest request, int replicas)
    {
        if (request.GpuCount == 0)
        {
            for (int r = 0; r < replicas; r++)
            {
                _plan[_planned++] = new Binding(node, 0);
            }

            return;
        }

        var gpus = _snapshot.GpuFree(node);
        if (!request.IsShare)
        {
            int g = 0;
            for (int r = 0; r < replicas; r++)
            {
                ulong mask = 0;
                for (int taken = 0; taken < request.GpuCount; g++)
                {
                    if (gpus[g] == PlacementRequest.WholeGpu)
                    {
                        mask |= 1UL << g;
                        taken++;
                    }
                }

                _plan[_planned++] = new Binding(node, mask);
            }

            return;
        }

        Span<int> free = stackalloc int[gpus.Length];
        gpus.CopyTo(free);
        for (int r = 0; r < replicas; r++)
        {
            int best = -1;
            for (int g = 0; g < free.Length; g++)
            {
                if (free[g] >= request.GpuMilli && (best < 0 || free[g] < free[best]))
                {
                    best = g;
                }
            }

            free[best] -= request.GpuMilli;
            _plan[_planned++] = new Binding(node, 1UL << best);
        }
    }

    private void Apply(Binding[] bindings, in ResolvedRequest request)
    {
        // Bindings of one node are consecutive in a plan, so each node's aggregates are taken out and put back once.
        int i = 0;
        while (i < bindings.Length)
        {
            int node = bindings[i].Node;
            Contribute(node, -1);
            for (; i < bindings.Length && bindings[i].Node == node; i++)
            {
                _snapshot.Assign(bindings[i], request);
            }

            Contribute(node, +1);
            Scorer?.Changed(_snapshot, node);
        }
    }

    private void Change(Binding binding, in ResolvedRequest request, bool assign)
    {
        int node = binding.Node;
        if ((uint)node >= (uint)_snapshot.NodeCount)
        {
            throw new ArgumentOutOfRangeException(nameof(binding), $"no node {node}");
        }

        Contribute(node, -1);
        try
        {
            if (assign)
            {
                _snapshot.Assign(binding, request);
            }
            else
            {
                _snapshot.Release(binding, request);
            }
        }
        finally
        {
            Contribute(node, +1);
            Scorer?.Changed(_snapshot, node);
        }
    }

    /// <summary>Adds (+1) or takes out (-1) a schedulable node's share of every aggregate; take out before a change, add after.</summary>
    private void Contribute(int node, int sign)
    {
        if (!_schedulable[node])
        {
            return;
        }

        int model = _snapshot.ModelOf(node);
        var gpus = _snapshot.GpuFree(node);
        if (sign > 0)
        {
            int whole = 0;
            for (int g = 0; g < gpus.Length; g++)
            {
                int free = gpus[g];
                if (free == PlacementRequest.WholeGpu)
                {
                    whole++;
                }
                else if (free > 0)
                {
                    _gpusByFree.Add(_gpuStart[node] + g, (model * PlacementRequest.WholeGpu) + free);
                }
            }

            _wholeFree[node] = whole;
            if (gpus.Length > 0)
            {
                _nodesByWhole.Add(node, (model * _width) + whole);
            }
        }
        else
        {
            for (int g = 0; g < gpus.Length; g++)
            {
                _gpusByFree.Remove(_gpuStart[node] + g);
            }

            _nodesByWhole.Remove(node);
        }

        int w = _wholeFree[node];
        long milli = sign * (long)_snapshot.GpuFreeTotal(node);
        for (int group = 0; group < GroupCount; group++)
        {
            int slot = (_groupOf[group][node] * _models) + model;
            _histogram[group][(slot * _width) + w] += sign;
            _freeMilli[group][slot] += milli;
        }
    }

    /// <summary>
    /// A spread gang, replica by replica: each goes to the best-fitting schedulable node in a failure domain no earlier
    /// replica uses. Nothing is taken until every replica has a node, so a gang that does not fit changes nothing.
    /// </summary>
    /// <remarks>
    /// Replicas land on distinct nodes (distinct domains of any kind are distinct nodes), so each is planned against the
    /// node's capacity as it is now. Whole-GPU replicas walk the free-whole-GPU buckets from the fullest up and stop at the
    /// first bucket with a usable node; shares and CPU-only replicas scan every node (linear per replica): spread gangs are
    /// services of a few replicas, and the indexes are keyed by fullness, not by domain.
    /// </remarks>
    private GangPlacement? TryPlaceSpread(GangRequest gang, in ResolvedRequest request, SpreadLevel spread)
    {
        int replicas = gang.Replicas;
        if (UpperBound(GroupCount - 1, 0, request, replicas) < replicas)
        {
            return null;
        }

        _planned = 0;
        EnsurePlan(replicas);
        var used = new HashSet<int>();
        for (int r = 0; r < replicas; r++)
        {
            int node = BestSpreadNode(request, spread, used);
            if (node < 0)
            {
                return null;
            }

            used.Add(_topology.SpreadDomainOf(node, spread));
            PlanOnNode(node, request, 1);
        }

        var bindings = _plan.AsSpan(0, replicas).ToArray();
        Apply(bindings, request);
        return new GangPlacement(gang.Id, bindings) { Level = LevelOf(bindings) };
    }

    private int BestSpreadNode(in ResolvedRequest request, SpreadLevel spread, HashSet<int> used)
    {
        int best = -1;
        long bestKey = long.MaxValue;
        if (request.GpuCount > 0 && !request.IsShare)
        {
            // Whole GPUs: the fit key orders by free whole GPUs first, so the first bucket (fewest free whole GPUs) with a
            // usable node holds the answer; the same node the full scan below would find, ties to the lowest index.
            for (int k = request.GpuCount; k < _width && best < 0; k++)
            {
                for (ulong mask = request.ModelMask & ModelsPresent; mask != 0; mask &= mask - 1)
                {
                    foreach (int n in _nodesByWhole.Items((BitOperations.TrailingZeroCount(mask) * _width) + k))
                    {
                        Consider(n, request, spread, used, ref best, ref bestKey);
                    }
                }
            }

            return best;
        }

        for (int n = 0; n < _schedulable.Length; n++)
        {
            if (_schedulable[n])
            {
                Consider(n, request, spread, used, ref best, ref bestKey);
            }
        }

        return best;
    }

    private void Consider(int node, in ResolvedRequest request, SpreadLevel spread, HashSet<int> used, ref int best, ref long bestKey)
    {
        int domain = _topology.SpreadDomainOf(node, spread);
        if (domain < 0 || used.Contains(domain) || Capacity(node, request, 1) < 1)
        {
            return;
        }

        long key = SpreadFit(node, request);
        if (key < bestKey || (key == bestKey && node < best))
        {
            best = node;
            bestKey = key;
        }
    }

    // Lower is a better fit: the fewest free whole GPUs (then the least free milli); for a share the tightest GPU that
    // takes it (then the node's least free milli); without GPUs the least free CPU. The same fullness-first rule as packing.
    private long SpreadFit(int node, in ResolvedRequest request)
    {
        if (request.GpuCount == 0)
        {
            return _snapshot.CpuFree(node);
        }

        long total = _snapshot.GpuFreeTotal(node);
        if (!request.IsShare)
        {
            return ((long)_wholeFree[node] << 32) | total;
        }

        int tightest = int.MaxValue;
        foreach (int free in _snapshot.GpuFree(node))
        {
            if (free >= request.GpuMilli && free < tightest)
            {
                tightest = free;
            }
        }

        return ((long)tightest << 32) | total;
    }

    /// <summary>Why the bindings break the spread (two replicas in one domain, or a replica where the domain is unknown), or null.</summary>
    private string? SpreadProblem(IReadOnlyList<Binding> bindings, SpreadLevel spread)
    {
        var seen = new Dictionary<int, int>();
        for (int i = 0; i < bindings.Count; i++)
        {
            int node = bindings[i].Node;
            if ((uint)node >= (uint)_snapshot.NodeCount)
            {
                continue; // the capacity check names the bad node
            }

            int domain = _topology.SpreadDomainOf(node, spread);
            if (domain < 0)
            {
                return $"replica {i} is on node {_snapshot.NodeName(node)}, whose {spread} is not known";
            }

            if (!seen.TryAdd(domain, i))
            {
                return $"replicas {seen[domain]} and {i} share a {spread} ({SpreadDomainName(spread, domain)})";
            }
        }

        return null;
    }

    private string SpreadDomainName(SpreadLevel spread, int domain) => spread switch
    {
        SpreadLevel.Node => _snapshot.NodeName(domain),
        SpreadLevel.Rack => _topology.RackName(domain),
        SpreadLevel.Leaf => _topology.DomainName(TopologyLevel.Leaf, domain),
        _ => _topology.DomainName(TopologyLevel.Site, domain),
    };

    private bool WithinOneDomain(IReadOnlyList<Binding> bindings, TopologyLevel level)
    {
        for (int i = 1; i < bindings.Count; i++)
        {
            if ((uint)bindings[i].Node >= (uint)_snapshot.NodeCount || (uint)bindings[0].Node >= (uint)_snapshot.NodeCount)
            {
                return true; // the capacity check names the bad node
            }

            if (_topology.DomainOf(bindings[i].Node, level) != _topology.DomainOf(bindings[0].Node, level))
            {
                return false;
            }
        }

        return true;
    }

    private TopologyLevel? LevelOf(Binding[] bindings)
    {
        foreach (var level in (ReadOnlySpan<TopologyLevel>)[TopologyLevel.Node, TopologyLevel.NvlinkDomain, TopologyLevel.Leaf, TopologyLevel.Block, TopologyLevel.Site])
        {
            if (WithinOneDomain(bindings, level))
            {
                return level;
            }
        }

        return null;
    }
}

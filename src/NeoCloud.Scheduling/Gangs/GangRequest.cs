using NeoCloud.Scheduling.Placement;
using NeoCloud.Scheduling.Topology;

namespace NeoCloud.Scheduling.Gangs;

/// <summary>
/// A gang: <paramref name="Replicas"/> identical replicas, each one <paramref name="Replica"/> on one node, placed all
/// together or not at all. <paramref name="Topology"/> lists at most one requirement per level.
/// </summary>
public sealed record GangRequest(string Id, int Replicas, PlacementRequest Replica, IReadOnlyList<TopologyRequirement> Topology)
{
    /// <summary>
    /// When set, no two replicas share a failure domain of this kind (a service spread so that one failure takes down one
    /// replica at most). It pulls replicas apart where required topology levels pull them together, so a gang has one or
    /// the other, never both; preferred levels are ignored for a spread gang.
    /// </summary>
    public SpreadLevel? Spread { get; init; }

    /// <summary>All GPU capacity of the gang in milli-GPU.</summary>
    public long GpuMilliTotal => Replicas * Replica.GpuMilliTotal;
}

/// <summary>Where each replica of a gang went: one binding (node index of the snapshot + GPU mask) per replica, in order.</summary>
public sealed record GangPlacement(string Id, IReadOnlyList<Binding> Replicas)
{
    /// <summary>
    /// The smallest level one of whose domains holds every replica (<see cref="TopologyLevel.Node"/> when they share a
    /// node), or null when they span sites or the placement was not made by a topology-aware placer. A preferred
    /// level above this one was honoured.
    /// </summary>
    public TopologyLevel? Level { get; init; }
}

/// <summary>
/// Places gangs whole on a topology (all-or-nothing) and keeps the free capacity exact. Single-threaded and in memory; the
/// caller serialises access.
/// </summary>
public interface IGangPlacer
{
    /// <summary>The free capacity the placer works on (node index ↔ name, free GPUs).</summary>
    ClusterSnapshot Snapshot { get; }

    /// <summary>Places every replica and takes the capacity, or returns null and changes nothing.</summary>
    GangPlacement? TryPlace(GangRequest gang);

    /// <summary>Takes the capacity of a placement decided earlier (a restart restoring running work); throws and changes nothing if it does not fit.</summary>
    void Bind(GangRequest gang, GangPlacement placement);

    /// <summary>Gives back a placement's capacity.</summary>
    void Release(GangRequest gang, GangPlacement placement);

    /// <summary>Marks a node as usable or not for new placements (unhealthy, cordoned, draining, quarantined); work on it is untouched.</summary>
    void SetSchedulable(int node, bool schedulable);

    bool IsSchedulable(int node);
}

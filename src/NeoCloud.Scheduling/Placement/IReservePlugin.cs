namespace NeoCloud.Scheduling.Placement;

/// <summary>Reserve / Unreserve: told after capacity on a node was taken or given back, so a plugin can refresh what it caches about that node only.</summary>
public interface IReservePlugin
{
    void Reserved(ClusterSnapshot snapshot, int node);

    void Unreserved(ClusterSnapshot snapshot, int node);
}

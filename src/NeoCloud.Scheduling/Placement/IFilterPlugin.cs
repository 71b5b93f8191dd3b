namespace NeoCloud.Scheduling.Placement;

/// <summary>A Filter extension point (kube-scheduler shape): says whether a node can take the request at all.</summary>
public interface IFilterPlugin
{
    string Name { get; }

    bool Filter(ClusterSnapshot snapshot, in ResolvedRequest request, int node);
}

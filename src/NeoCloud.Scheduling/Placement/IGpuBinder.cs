namespace NeoCloud.Scheduling.Placement;

/// <summary>Chooses which GPUs of the chosen node a request gets (the device half of Reserve).</summary>
public interface IGpuBinder
{
    /// <summary>The GPUs to give, as a mask over the node's GPUs; the request must fit the node.</summary>
    ulong ChooseGpus(ClusterSnapshot snapshot, in ResolvedRequest request, int node);
}

using NeoCloud.Fleet.Lifecycle;
using NeoCloud.Kernel.Ids;

namespace NeoCloud.Fleet.Topology;

/// <summary>One GPU with its device identity and affinity: the NUMA node and the NIC (rail) closest to it.</summary>
public sealed record Gpu(
    GpuId Id,
    NodeId Node,
    int Index,
    string Sku,
    string Uuid,
    string PciBusId,
    int NumaNode,
    int Nic,
    LifecycleState State,
    HealthStatus Health);

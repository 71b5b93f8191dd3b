using NeoCloud.Simulator.Faults;

namespace NeoCloud.Simulator.Workload;

/// <summary>What a fault did to executor-assigned work: GPUs lost outright, and GPUs that only lost their node's fabric port.</summary>
/// <param name="Gpus">Twin GPU indices whose work ended (GPU fault or node down).</param>
/// <param name="FabricOnly">Twin GPU indices on a node that lost a port: only work spanning several nodes breaks.</param>
public sealed record ExternalWorkHit(InjectedFault Fault, IReadOnlyList<int> Gpus, IReadOnlyList<int> FabricOnly);

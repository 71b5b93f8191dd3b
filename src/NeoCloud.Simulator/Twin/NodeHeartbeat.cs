using NeoCloud.Kernel.Ids;

namespace NeoCloud.Simulator.Twin;

/// <summary>When a node's agent was last heard from, and whether it is answering now.</summary>
public readonly record struct NodeHeartbeat(NodeId Node, DateTimeOffset LastSeen, bool Alive);

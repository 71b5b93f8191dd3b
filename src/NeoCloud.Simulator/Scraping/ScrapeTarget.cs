using NeoCloud.Kernel.Ids;

namespace NeoCloud.Simulator.Scraping;

/// <summary>One page the twin serves: a node's dcgm-exporter page or its InfiniBand counters.</summary>
/// <param name="Kind"><c>dcgm</c> or <c>infiniband</c>.</param>
public sealed record ScrapeTarget(NodeId Node, string Hostname, string Kind)
{
    public const string Dcgm = "dcgm";
    public const string InfiniBand = "infiniband";
}

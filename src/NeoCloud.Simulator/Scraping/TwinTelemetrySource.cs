using System.Buffers;
using NeoCloud.Kernel.Ids;
using NeoCloud.Simulator.Twin;

namespace NeoCloud.Simulator.Scraping;

/// <summary>The twin as a telemetry source: lists scrape targets and scrapes them into a buffer, as an edge agent would over HTTP.</summary>
public sealed class TwinTelemetrySource
{
    private readonly FleetTwin _twin;
    private readonly ScrapeTarget[] _targets;

    public TwinTelemetrySource(FleetTwin twin)
    {
        _twin = twin;
        _targets = [.. twin.Topology.Nodes.SelectMany(n => new[]
        {
            new ScrapeTarget(n.Id, n.Hostname, ScrapeTarget.Dcgm),
            new ScrapeTarget(n.Id, n.Hostname, ScrapeTarget.InfiniBand),
        })];
    }

    public IReadOnlyList<ScrapeTarget> Targets => _targets;

    /// <summary>Writes the target's page; false (nothing written) when its node does not answer, as a scrape timeout would.</summary>
    public bool TryScrape(ScrapeTarget target, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(target);
        return target.Kind == ScrapeTarget.InfiniBand
            ? _twin.RenderIbPortCounters(target.Node, output)
            : _twin.RenderDcgmExporter(target.Node, output);
    }

    public bool TryScrapeDcgm(NodeId node, IBufferWriter<byte> output) => _twin.RenderDcgmExporter(node, output);

    public NodeHeartbeat Heartbeat(NodeId node) => _twin.GetHeartbeat(node);

    /// <summary>When the twin's data was taken (virtual time), for sample timestamps.</summary>
    public DateTimeOffset Now => _twin.Now;
}

using System.Buffers;
using NeoCloud.Kernel.Ids;
using NeoCloud.Plugins.Lifecycle;
using NeoCloud.Simulator.Twin;
using NeoCloud.Telemetry.Sources;

namespace NeoCloud.Simulator.Scraping;

/// <summary>The twin as a telemetry-source plugin: lists the pages of the nodes that answer and renders them, as exporters scraped over HTTP would.</summary>
/// <remarks>
/// A node that stops answering leaves <see cref="Targets"/>; scraped anyway (a stale target list) it yields an empty page
/// rather than an exception, because the plugin host isolates a plugin that throws and one dead node must not
/// silence the whole fleet's telemetry.
/// </remarks>
public sealed class TwinTelemetrySource(FleetTwin twin) : ITelemetrySource
{
    private static readonly string[] Formats = [TelemetryFormats.DcgmExporter, TelemetryFormats.IbPortCounters];

    public IReadOnlyList<ConfigField> ConfigSchema => [];

    /// <summary>Both pages (dcgm-exporter, InfiniBand counters) of every node answering now.</summary>
    public IReadOnlyList<ScrapeTarget> Targets
    {
        get
        {
            var nodes = twin.Topology.Nodes;
            var result = new List<ScrapeTarget>(nodes.Count * Formats.Length);
            lock (twin.State.Gate)
            {
                for (int n = 0; n < nodes.Count; n++)
                {
                    if (twin.State.NodeAlive[n])
                    {
                        foreach (var format in Formats)
                        {
                            result.Add(new ScrapeTarget(nodes[n].Id.Value, format));
                        }
                    }
                }
            }

            return result;
        }
    }

    public ValueTask ScrapeAsync(ScrapeTarget target, IBufferWriter<byte> output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        cancellationToken.ThrowIfCancellationRequested();
        var node = new NodeId(target.Node);
        _ = target.Format switch
        {
            TelemetryFormats.DcgmExporter => twin.RenderDcgmExporter(node, output),
            TelemetryFormats.IbPortCounters => twin.RenderIbPortCounters(node, output),
            _ => throw new ArgumentException($"The twin serves {string.Join(" and ", Formats)} pages, not '{target.Format}'.", nameof(target)),
        };
        return ValueTask.CompletedTask;
    }

    public NodeHeartbeat Heartbeat(NodeId node) => twin.GetHeartbeat(node);

    /// <summary>When the twin's data was taken (virtual time), for sample timestamps.</summary>
    public DateTimeOffset Now => twin.Now;

    public Task InitAsync(PluginContext context, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public ValueTask<PluginHealth> CheckHealthAsync(CancellationToken cancellationToken) => ValueTask.FromResult(PluginHealth.Ready);

    public Task DrainAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

using System.Buffers;
using NeoCloud.Plugins.Lifecycle;

namespace NeoCloud.Telemetry.Sources;

/// <summary>
/// A telemetry-source plugin: something that produces Prometheus-text pages for nodes — a real exporter scraped over
/// HTTP, or the digital twin rendering its state. Collectors parse what it writes with the same parser either way.
/// </summary>
public interface ITelemetrySource : IPlugin
{
    /// <summary>The pages this source can produce now.</summary>
    IReadOnlyList<ScrapeTarget> Targets { get; }

    /// <summary>Writes one page (UTF-8 Prometheus text) into <paramref name="output"/>.</summary>
    ValueTask ScrapeAsync(ScrapeTarget target, IBufferWriter<byte> output, CancellationToken cancellationToken);
}

namespace NeoCloud.Telemetry.Sources;

/// <summary>One endpoint a telemetry source can be scraped for: a node's exporter of one format.</summary>
/// <param name="Node">The node id the page describes.</param>
/// <param name="Format">What the page holds: <see cref="TelemetryFormats"/>.</param>
public sealed record ScrapeTarget(string Node, string Format);

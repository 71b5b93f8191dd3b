using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using NeoCloud.Plugins.Manifest;

namespace NeoCloud.Plugins.Lifecycle;

/// <summary>What the host gives each plugin: its own logger, meter and trace source, its validated config, and a clock.</summary>
public sealed record PluginContext(
    PluginManifest Manifest,
    IReadOnlyDictionary<string, string> Config,
    ILogger Logger,
    Meter Meter,
    ActivitySource ActivitySource,
    TimeProvider Clock);

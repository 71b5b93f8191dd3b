using NeoCloud.Plugins.Lifecycle;
using NeoCloud.Plugins.Manifest;

namespace NeoCloud.Plugins.Hosting;

/// <summary>A plugin known to the host: its manifest, its instance and its current lifecycle state and health.</summary>
public sealed class PluginRegistration(PluginManifest manifest, IPlugin plugin)
{
    public PluginManifest Manifest { get; } = manifest;
    public IPlugin Plugin { get; } = plugin;
    public PluginState State { get; internal set; } = PluginState.Registered;
    public string? Reason { get; internal set; }
    public IReadOnlyDictionary<string, string> Config { get; internal set; } = new Dictionary<string, string>();
    public long Calls => Interlocked.Read(ref CallCount);
    public long Errors => Interlocked.Read(ref ErrorCount);

    internal long CallCount;
    internal long ErrorCount;
}

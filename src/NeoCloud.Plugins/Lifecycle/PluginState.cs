namespace NeoCloud.Plugins.Lifecycle;

/// <summary>Where a plugin is in validate → init → start → (ready | degraded | failed) → drain → stop.</summary>
public enum PluginState
{
    Registered,
    Validated,
    Initialized,
    Ready,
    Degraded,
    Failed,
    Draining,
    Stopped,
}

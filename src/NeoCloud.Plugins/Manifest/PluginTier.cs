namespace NeoCloud.Plugins.Manifest;

/// <summary>Where a plugin may run.</summary>
public enum PluginTier
{
    Edge,
    Region,
    Hub,
}

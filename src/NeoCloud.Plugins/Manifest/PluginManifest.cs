namespace NeoCloud.Plugins.Manifest;

/// <summary>A validated plugin manifest (<c>kind: Plugin</c>).</summary>
public sealed record PluginManifest(
    string Name,
    string Version,
    string Owner,
    PluginKind Kind,
    IReadOnlySet<PluginTier> Tiers,
    PluginEntry Entry,
    IReadOnlyList<string> Permissions,
    IReadOnlyDictionary<string, string> Config,
    IReadOnlyDictionary<string, string> Domain);

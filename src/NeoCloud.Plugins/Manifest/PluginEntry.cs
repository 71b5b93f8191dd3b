namespace NeoCloud.Plugins.Manifest;

/// <summary>How the host loads a plugin: an in-process assembly (and optional type), or an out-of-process command speaking JSON-RPC over stdio.</summary>
public sealed record PluginEntry(string? Assembly, string? Type, IReadOnlyList<string>? Command)
{
    public bool InProcess => Assembly is not null;
}

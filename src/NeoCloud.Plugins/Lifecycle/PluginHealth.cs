namespace NeoCloud.Plugins.Lifecycle;

/// <summary>What a plugin says of itself when the host asks.</summary>
public sealed record PluginHealth(PluginHealthStatus Status, string? Reason = null)
{
    public static PluginHealth Ready { get; } = new(PluginHealthStatus.Ready);

    public static PluginHealth Degraded(string reason) => new(PluginHealthStatus.Degraded, reason);

    public static PluginHealth Failed(string reason) => new(PluginHealthStatus.Failed, reason);
}

/// <summary>The three answers to a health check.</summary>
public enum PluginHealthStatus
{
    Ready,
    Degraded,
    Failed,
}

using NeoCloud.Plugins.Lifecycle;

namespace NeoCloud.Plugins.Hosting;

/// <summary>A call was made to a plugin that is not running (isolated after a failure, or stopped).</summary>
public sealed class PluginUnavailableException : Exception
{
    public PluginUnavailableException(string plugin, PluginState state, string? reason)
        : base($"Plugin '{plugin}' is {state.ToString().ToLowerInvariant()}{(reason is null ? "" : ": " + reason)}.")
    {
    }

    public PluginUnavailableException()
    {
    }

    public PluginUnavailableException(string message) : base(message)
    {
    }

    public PluginUnavailableException(string message, Exception innerException) : base(message, innerException)
    {
    }
}

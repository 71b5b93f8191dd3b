namespace NeoCloud.Plugins.Hosting;

/// <summary>A plugin was refused at registration; every problem is listed.</summary>
public sealed class PluginValidationException : Exception
{
    public PluginValidationException(string plugin, IReadOnlyList<string> problems)
        : base($"Plugin '{plugin}' was refused: {string.Join("; ", problems)}.")
    {
        Problems = problems;
    }

    public PluginValidationException()
    {
        Problems = [];
    }

    public PluginValidationException(string message) : base(message)
    {
        Problems = [];
    }

    public PluginValidationException(string message, Exception innerException) : base(message, innerException)
    {
        Problems = [];
    }

    public IReadOnlyList<string> Problems { get; }
}

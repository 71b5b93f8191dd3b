namespace NeoCloud.Cli.Api;

/// <summary>The command line or configuration cannot work as given (bad server URL, unreadable config file).</summary>
internal sealed class UsageException(string message) : Exception(message);

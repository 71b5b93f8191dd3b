namespace NeoCloud.Server.Health;

/// <summary>Health detection and remediation are not running in this host (turned off, no store, or the pipeline failed to build); the API answers 503.</summary>
public sealed class HealthUnavailableException : Exception
{
    public HealthUnavailableException()
    {
    }

    public HealthUnavailableException(string message) : base(message)
    {
    }

    public HealthUnavailableException(string message, Exception innerException) : base(message, innerException)
    {
    }
}

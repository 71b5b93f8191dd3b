namespace NeoCloud.Server.Reliability.Runbooks;

/// <summary>Runbooks cannot run in this host (no reliability store is registered); answered as 503.</summary>
public sealed class RunbookUnavailableException : InvalidOperationException
{
    public RunbookUnavailableException()
    {
    }

    public RunbookUnavailableException(string message) : base(message)
    {
    }

    public RunbookUnavailableException(string message, Exception innerException) : base(message, innerException)
    {
    }
}

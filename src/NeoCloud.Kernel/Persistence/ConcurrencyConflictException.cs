namespace NeoCloud.Kernel.Persistence;

/// <summary>An optimistic-concurrency check failed: someone else changed the record since it was read.</summary>
public sealed class ConcurrencyConflictException : Exception
{
    public ConcurrencyConflictException()
    {
    }

    public ConcurrencyConflictException(string message) : base(message)
    {
    }

    public ConcurrencyConflictException(string message, Exception innerException) : base(message, innerException)
    {
    }
}

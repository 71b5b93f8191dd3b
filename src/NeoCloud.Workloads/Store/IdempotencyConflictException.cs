using NeoCloud.Kernel.Ids;

namespace NeoCloud.Workloads.Store;

/// <summary>A submission reused an idempotency key of the tenant with a different spec; nothing was created.</summary>
public sealed class IdempotencyConflictException : InvalidOperationException
{
    public IdempotencyConflictException(TenantId tenant, string key, JobId existing)
        : base($"Tenant '{tenant}' already submitted job {existing} with idempotency key '{key}' and a different spec. "
            + "Resubmit the same spec to get that job back, or use a new key for a new job.")
    {
        Tenant = tenant;
        Key = key;
        Existing = existing;
    }

    public IdempotencyConflictException()
    {
    }

    public IdempotencyConflictException(string message) : base(message)
    {
    }

    public IdempotencyConflictException(string message, Exception innerException) : base(message, innerException)
    {
    }

    public TenantId Tenant { get; }

    public string Key { get; } = "";

    public JobId Existing { get; }
}

namespace NeoCloud.Kernel.Audit;

/// <summary>The port every context writes audit entries through; the Access context implements it as a hash-chained log.</summary>
public interface IAuditTrail
{
    Task RecordAsync(AuditEntry entry, CancellationToken cancellationToken);
}

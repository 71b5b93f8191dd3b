using NeoCloud.Kernel.Audit;

namespace NeoCloud.Health.Tests.Fakes;

/// <summary>Keeps the audit entries written.</summary>
internal sealed class RecordingAuditTrail : IAuditTrail
{
    public List<AuditEntry> Entries { get; } = [];

    public Task RecordAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        Entries.Add(entry);
        return Task.CompletedTask;
    }
}

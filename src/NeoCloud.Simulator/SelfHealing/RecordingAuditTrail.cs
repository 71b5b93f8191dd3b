using NeoCloud.Kernel.Audit;

namespace NeoCloud.Simulator.SelfHealing;

/// <summary>The simulation's audit trail: counts entries by action and keeps the latest, so a run can show what automation did.</summary>
public sealed class RecordingAuditTrail(int keep = 10_000) : IAuditTrail
{
    private readonly Queue<AuditEntry> _latest = new();
    private readonly SortedDictionary<string, int> _byAction = new(StringComparer.Ordinal);

    public int Count { get; private set; }

    public IReadOnlyDictionary<string, int> ByAction => _byAction;

    public IReadOnlyCollection<AuditEntry> Latest => _latest;

    public Task RecordAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        Count++;
        _byAction[entry.Action] = _byAction.GetValueOrDefault(entry.Action) + 1;
        _latest.Enqueue(entry);
        if (_latest.Count > keep)
        {
            _latest.Dequeue();
        }

        return Task.CompletedTask;
    }
}

namespace NeoCloud.Scheduling.Cycles;

/// <summary>How a cycle orders and admits pending work.</summary>
public enum SchedulingPolicy
{
    /// <summary>Fair share between queues (weighted DRF with decayed history), priority then arrival within a queue, preemption and EASY backfill.</summary>
    NeoCloud,

    /// <summary>Strict arrival order over all queues with head-of-line blocking; no fair share, preemption or backfill. The baseline.</summary>
    Fifo,
}

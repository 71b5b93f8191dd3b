namespace NeoCloud.Scheduling.Preemption;

/// <summary>Why a running workload was preempted.</summary>
public enum PreemptionReason
{
    /// <summary>A higher-priority workload of the same queue needed its capacity.</summary>
    PriorityWithinQueue,

    /// <summary>Its queue borrowed quota that a queue of the cohort, still under its nominal quota, needed back.</summary>
    ReclaimBorrowed,

    /// <summary>Its queue borrowed and has a higher weighted dominant share than the beneficiary's queue would have.</summary>
    FairShare,
}

namespace NeoCloud.Fleet.Lifecycle;

/// <summary>Where a node or GPU is in its life, from racking to retirement.</summary>
public enum LifecycleState
{
    Provisioning,
    BurnIn,
    Available,
    Cordoned,
    Draining,
    Quarantined,
    Repair,
    Rma,
    Decommissioned,
}

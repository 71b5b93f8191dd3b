namespace NeoCloud.Fleet.Actuation;

/// <summary>What an actuator can do to hardware (through a BMC, a driver, a ticket to a technician, or the twin).</summary>
public enum HardwareAction
{
    ResetGpu,
    RebootNode,
    PowerCycleNode,
    RunDiagnostics,
    ReplaceGpu,
    RepairNode,
}

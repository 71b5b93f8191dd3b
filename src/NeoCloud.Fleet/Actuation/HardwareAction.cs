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

    /// <summary>A facility ticket: a technician reseats or replaces a cable or transceiver (target: a port) or repairs a switch (target: a switch id).</summary>
    RepairFabric,

    /// <summary>A facility ticket: power work on a PDU or feed (target: a PDU id, or a node whose supply failed).</summary>
    RepairPower,
}

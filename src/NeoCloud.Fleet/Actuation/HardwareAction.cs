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

    /// <summary>A technician reseats or replaces a cable or transceiver, or repairs a switch (target: a port, switch or node id).</summary>
    RepairFabric,

    /// <summary>Facility power work on a PDU or feed (target: a PDU id).</summary>
    RepairPower,
}

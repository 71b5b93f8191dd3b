namespace NeoCloud.Simulator.Faults;

/// <summary>The least action that clears a fault; a stronger action clears it too (a replacement fixes what a reset fixes).</summary>
internal enum Remedy
{
    /// <summary>Clears by itself at once (an application-level XID, a job-reported timeout).</summary>
    Transient = 0,
    GpuReset = 1,
    Reboot = 2,
    Replace = 3,

    /// <summary>Facility or fabric work (a cable, a switch, a PDU): only an explicit repair or its own duration clears it.</summary>
    FacilityRepair = 4,
}

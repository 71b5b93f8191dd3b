namespace NeoCloud.Health.Catalog;

/// <summary>The least action a fault code calls for, from NVIDIA's immediate-action bucket for XIDs and from our own rules otherwise.</summary>
public enum RemedyHint
{
    /// <summary>Nothing to do to the hardware (IGNORE; a signal worth recording).</summary>
    None,

    /// <summary>The application is at fault: restart it; the hardware is fine (RESTART_APP).</summary>
    RestartApplication,

    /// <summary>Reset the GPU (RESET_GPU).</summary>
    ResetGpu,

    /// <summary>Reboot the node (RESTART_BM, RESTART_VM).</summary>
    RebootNode,

    /// <summary>Run diagnostics to decide (CHECK_*, WORKFLOW_*, repeated application errors on one GPU).</summary>
    Diagnose,

    /// <summary>Replace the part: open an RMA (UNEXPECTED_ERR_REPORT_ISSUE, ECC row-remap failure).</summary>
    Replace,

    /// <summary>Fabric work: reseat or replace a cable or transceiver, or repair a switch.</summary>
    RepairFabric,

    /// <summary>Facility power work: a PDU or feed.</summary>
    RepairPower,

    /// <summary>Take the work off the component (drain) and watch it: degradations such as a straggler or thermal throttling.</summary>
    Drain,
}

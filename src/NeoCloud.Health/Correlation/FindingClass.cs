namespace NeoCloud.Health.Correlation;

/// <summary>How diagnosis treats a finding: which window holds it and which correlation decides it.</summary>
internal enum FindingClass
{
    /// <summary>An InfiniBand port finding: held to see whether the rest of its leaf switch's rail follows.</summary>
    Port,

    /// <summary>A missing heartbeat: held to see whether the rest of its PDU follows.</summary>
    Heartbeat,

    /// <summary>An application-class finding (RESTART_APP, IGNORE, collective timeout): held to see whether other GPUs of the job follow.</summary>
    Application,

    /// <summary>A hardware finding on a GPU or node: decided in the next round, correlated with other GPUs of its node.</summary>
    Hardware,
}

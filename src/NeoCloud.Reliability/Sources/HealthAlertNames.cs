namespace NeoCloud.Reliability.Sources;

/// <summary>The alert names and labels the Health context's diagnoses become.</summary>
public static class HealthAlertNames
{
    public const string GpuFault = "gpu-fault";
    public const string NodeFault = "node-fault";

    /// <summary>The node stopped answering: the alert that mutes that node's GPU alerts (<see cref="Alerting.TopologyCorrelation"/>).</summary>
    public const string NodeDown = Alerting.TopologyCorrelation.NodeDownAlert;

    public const string PortFault = "port-fault";
    public const string SwitchDown = "switch-down";
    public const string PduDown = "pdu-down";
    public const string JobFault = "job-fault";

    /// <summary>The catalogue code of the diagnosis' first finding (<c>XID-79</c>, <c>ECC-DBE</c>, ...).</summary>
    public const string CodeLabel = "code";

    public const string PortLabel = "port";
    public const string SwitchLabel = "switch";
    public const string PduLabel = "pdu";
    public const string JobLabel = "job";

    /// <summary>Annotation: the remediation run acting on the diagnosis.</summary>
    public const string RunAnnotation = "neocloud_run";

    /// <summary>Annotation: the run's step (<c>Drain</c>, <c>Act</c>, <c>Returned</c>, ...).</summary>
    public const string RunStepAnnotation = "neocloud_run_step";

    /// <summary>Annotation: <c>true</c> once the run has fenced the hardware and moved its work (the impact stopped).</summary>
    public const string MitigatedAnnotation = "neocloud_mitigated";

    /// <summary>The finding code that means a node stopped answering.</summary>
    public const string HeartbeatMissingCode = "HEARTBEAT-MISSING";
}

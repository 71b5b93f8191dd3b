namespace NeoCloud.Scheduling.Preemption;

/// <summary>One workload preempted: who, from which queue, why, who benefited, and a sentence for the job's event log.</summary>
public sealed record PreemptionDecision(string VictimId, string VictimQueue, PreemptionReason Reason, string BeneficiaryId, string Text);

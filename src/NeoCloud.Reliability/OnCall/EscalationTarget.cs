namespace NeoCloud.Reliability.OnCall;

/// <summary>One target of an escalation level: a rotation (its on-call person at paging time) or a person.</summary>
public sealed record EscalationTarget(EscalationTargetKind Kind, string Name);

namespace NeoCloud.Reliability.OnCall;

/// <summary>Whether an escalation level pages whoever a rotation has on call, or a named person.</summary>
public enum EscalationTargetKind
{
    Rotation,
    Person,
}

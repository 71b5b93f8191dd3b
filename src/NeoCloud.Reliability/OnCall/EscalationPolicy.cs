namespace NeoCloud.Reliability.OnCall;

/// <summary>The levels paged in turn while an incident stays unacknowledged; <paramref name="Repeat"/> more passes after the first.</summary>
public sealed record EscalationPolicy(IReadOnlyList<EscalationLevel> Levels, int Repeat);

namespace NeoCloud.Reliability.OnCall;

/// <summary>Who is paged at one level, and how long the page may stay unacknowledged before the next level is paged.</summary>
public sealed record EscalationLevel(IReadOnlyList<EscalationTarget> Targets, TimeSpan EscalateAfter);

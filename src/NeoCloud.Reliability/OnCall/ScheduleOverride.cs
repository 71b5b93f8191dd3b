namespace NeoCloud.Reliability.OnCall;

/// <summary>Someone who takes a rotation's shift over for a fixed stretch of time (a swap, a sick day).</summary>
public sealed record ScheduleOverride(string Rotation, string Person, DateTimeOffset Start, DateTimeOffset End);

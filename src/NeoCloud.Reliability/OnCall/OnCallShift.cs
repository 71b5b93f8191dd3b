namespace NeoCloud.Reliability.OnCall;

/// <summary>Who is on call for one rotation from <paramref name="Start"/> until <paramref name="End"/>.</summary>
public sealed record OnCallShift(string Rotation, string Person, DateTimeOffset Start, DateTimeOffset End, bool IsOverride);

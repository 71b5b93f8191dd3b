namespace NeoCloud.Reliability.Evaluation;

/// <summary>One window of an evaluation: its events, error ratio and burn rate (the ratio over the error budget).</summary>
public sealed record WindowReading(TimeSpan Window, long Bad, long Total, double ErrorRatio, double BurnRate);

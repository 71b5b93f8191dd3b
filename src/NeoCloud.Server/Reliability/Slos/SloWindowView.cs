namespace NeoCloud.Server.Reliability.Slos;

/// <summary>Events of one window read at an evaluation: bad, total, their ratio and the burn rate (null without events).</summary>
public sealed record SloWindowView(string Window, long Bad, long Total, double? ErrorRatio, double? BurnRate);

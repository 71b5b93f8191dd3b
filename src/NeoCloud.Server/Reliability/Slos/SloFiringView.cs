namespace NeoCloud.Server.Reliability.Slos;

/// <summary>A burn-rate alert that fires: page or ticket, its two windows and the burn rate both exceed.</summary>
public sealed record SloFiringView(string Severity, string LongWindow, string ShortWindow, double Factor);

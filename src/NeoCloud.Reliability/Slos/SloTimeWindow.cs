namespace NeoCloud.Reliability.Slos;

/// <summary>
/// The period an SLO is measured over (OpenSLO <c>timeWindow</c>): rolling, or calendar-aligned from
/// <see cref="CalendarStart"/> in <see cref="TimeZone"/>. <see cref="Text"/> is the duration as written (<c>30d</c>, <c>1M</c>).
/// </summary>
public sealed record SloTimeWindow(TimeSpan Duration, string Text, bool IsRolling, string? CalendarStart = null, string? TimeZone = null);

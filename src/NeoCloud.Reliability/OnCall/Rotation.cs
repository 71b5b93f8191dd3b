namespace NeoCloud.Reliability.OnCall;

/// <summary>
/// Participants taking turns, handing off every <paramref name="Period"/> from <paramref name="Start"/> (a wall-clock time
/// in <paramref name="TimeZone"/>). A period of whole days counts calendar days, so a 09:00 handoff stays at 09:00 across
/// daylight-saving changes (that day's shift is 23 or 25 hours long); a shorter period counts elapsed time.
/// </summary>
public sealed record Rotation(string Name, IReadOnlyList<string> Participants, DateTime Start, TimeSpan Period, TimeZoneInfo TimeZone)
{
    private bool Calendar => Period >= TimeSpan.FromDays(1) && Period.Ticks % TimeSpan.TicksPerDay == 0;

    /// <summary>The shift covering <paramref name="at"/>, or null before the rotation starts.</summary>
    public OnCallShift? ShiftAt(DateTimeOffset at)
    {
        long k;
        if (Calendar)
        {
            var local = TimeZoneInfo.ConvertTime(at, TimeZone).DateTime;
            k = FloorDiv((local - Start).Ticks, Period.Ticks);

            // The wall-clock estimate can be one off inside the repeated hour of a fall-back change: settle it on instants.
            while (Handoff(k) > at)
            {
                k--;
            }

            while (Handoff(k + 1) <= at)
            {
                k++;
            }
        }
        else
        {
            k = FloorDiv((at - Handoff(0)).Ticks, Period.Ticks);
        }

        if (k < 0)
        {
            return null;
        }

        return new OnCallShift(Name, Participants[(int)(k % Participants.Count)], Handoff(k), Handoff(k + 1), IsOverride: false);
    }

    private DateTimeOffset Handoff(long k) =>
        Calendar ? ToInstant(Start.AddTicks(k * Period.Ticks)) : ToInstant(Start).AddTicks(k * Period.Ticks);

    /// <summary>
    /// A wall-clock time in the zone as an instant. A time skipped by a spring-forward change is read with the offset in force
    /// before it (02:30 becomes 03:30), a time repeated by a fall-back change as its first occurrence: what java.time does.
    /// </summary>
    private DateTimeOffset ToInstant(DateTime wall)
    {
        wall = DateTime.SpecifyKind(wall, DateTimeKind.Unspecified);
        TimeSpan offset;
        if (TimeZone.IsInvalidTime(wall))
        {
            offset = TimeZone.GetUtcOffset(wall.AddDays(-1));
        }
        else if (TimeZone.IsAmbiguousTime(wall))
        {
            offset = TimeZone.GetAmbiguousTimeOffsets(wall).Max();
        }
        else
        {
            offset = TimeZone.GetUtcOffset(wall);
        }

        return new DateTimeOffset(wall.Ticks - offset.Ticks, TimeSpan.Zero);
    }

    private static long FloorDiv(long a, long b) => a >= 0 ? a / b : -((-a + b - 1) / b);
}

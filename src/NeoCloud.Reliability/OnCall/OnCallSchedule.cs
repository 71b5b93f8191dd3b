namespace NeoCloud.Reliability.OnCall;

/// <summary>
/// A team's on-call schedule: rotations, overrides on top of them, and the escalation policy that decides who is paged
/// while an incident stays unacknowledged. Pure: every answer is a function of the times passed in.
/// </summary>
public sealed class OnCallSchedule
{
    public const string Kind = "OnCallSchedule";

    public OnCallSchedule(string name, IReadOnlyList<Rotation> rotations, IReadOnlyList<ScheduleOverride> overrides, EscalationPolicy escalation)
    {
        ArgumentNullException.ThrowIfNull(rotations);
        ArgumentNullException.ThrowIfNull(overrides);
        ArgumentNullException.ThrowIfNull(escalation);
        if (escalation.Levels.Count == 0)
        {
            throw new ArgumentException("an escalation policy needs at least one level", nameof(escalation));
        }

        Name = name;
        Rotations = rotations;
        Overrides = overrides;
        EscalationPolicy = escalation;
    }

    public string Name { get; }

    public IReadOnlyList<Rotation> Rotations { get; }

    public IReadOnlyList<ScheduleOverride> Overrides { get; }

    public EscalationPolicy EscalationPolicy { get; }

    /// <summary>Every rotation's shift at <paramref name="at"/>, overrides applied; rotations not yet started are left out.</summary>
    public IReadOnlyList<OnCallShift> WhoIsOnCall(DateTimeOffset at) =>
        [.. Rotations.Select(r => ShiftAt(r.Name, at)).OfType<OnCallShift>()];

    /// <summary>The shift of one rotation at <paramref name="at"/>; the last override covering that time wins.</summary>
    public OnCallShift? ShiftAt(string rotation, DateTimeOffset at)
    {
        var found = Rotations.FirstOrDefault(r => r.Name == rotation)
            ?? throw new ArgumentException($"no rotation '{rotation}' in schedule '{Name}'", nameof(rotation));
        for (int i = Overrides.Count - 1; i >= 0; i--)
        {
            var o = Overrides[i];
            if (o.Rotation == rotation && o.Start <= at && at < o.End)
            {
                return new OnCallShift(rotation, o.Person, o.Start, o.End, IsOverride: true);
            }
        }

        return found.ShiftAt(at);
    }

    /// <summary>
    /// Who must be paged at <paramref name="now"/> for an incident opened at <paramref name="openedAt"/>: level 1 at once,
    /// each next level when the one before has gone unacknowledged for its delay, round again <c>Repeat</c> times, and then
    /// the last level keeps being the one paged. Rotations are resolved at <paramref name="now"/>, so a handoff during the
    /// incident pages the person now on call.
    /// </summary>
    public EscalationState Escalation(DateTimeOffset openedAt, DateTimeOffset? acknowledgedAt, DateTimeOffset now)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(now, openedAt);
        if (acknowledgedAt is { } early && early < openedAt)
        {
            throw new ArgumentOutOfRangeException(nameof(acknowledgedAt), "an incident cannot be acknowledged before it opened");
        }

        bool acknowledged = acknowledgedAt is { } ack && ack <= now;
        var until = acknowledged ? acknowledgedAt!.Value : now;
        var levels = EscalationPolicy.Levels;
        int steps = levels.Count * (EscalationPolicy.Repeat + 1);
        int step = 0;
        var since = openedAt;
        while (step < steps - 1 && since + levels[step % levels.Count].EscalateAfter <= until)
        {
            since += levels[step % levels.Count].EscalateAfter;
            step++;
        }

        var level = levels[step % levels.Count];
        if (acknowledged)
        {
            return new EscalationState(step % levels.Count + 1, step / levels.Count + 1, since, [], null, acknowledgedAt);
        }

        var page = level.Targets
            .Select(t => t.Kind == EscalationTargetKind.Person ? t.Name : ShiftAt(t.Name, now)?.Person)
            .OfType<string>()
            .Distinct(StringComparer.Ordinal)
            .ToList();
        DateTimeOffset? next = step < steps - 1 ? since + level.EscalateAfter : null;
        return new EscalationState(step % levels.Count + 1, step / levels.Count + 1, since, page, next, null);
    }
}

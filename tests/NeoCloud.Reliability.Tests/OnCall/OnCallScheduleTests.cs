using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NeoCloud.Kernel.Manifests;
using NeoCloud.Reliability.OnCall;

namespace NeoCloud.Reliability.Tests.OnCall;

public sealed class OnCallScheduleTests
{
    private static readonly OnCallSchedule Schedule = OnCallScheduleReader.Parse(SampleSchedule.Yaml);

    private static DateTimeOffset Utc(int month, int day, int hour, int minute = 0) => new(2026, month, day, hour, minute, 0, TimeSpan.Zero);

    private static IReadOnlyList<SpecError> Errors(string yaml)
    {
        var errors = new List<SpecError>();
        Assert.Null(OnCallScheduleReader.TryParse(yaml, errors));
        return errors;
    }

    [Fact]
    public void The_manifest_reads_rotations_overrides_and_the_escalation_policy()
    {
        Assert.Equal("platform", Schedule.Name);
        Assert.Equal(["primary", "secondary"], Schedule.Rotations.Select(r => r.Name));
        Assert.Equal(TimeSpan.FromDays(7), Schedule.Rotations[1].Period);
        Assert.Equal("dave", Assert.Single(Schedule.Overrides).Person);
        Assert.Equal(1, Schedule.EscalationPolicy.Repeat);
        Assert.Equal([TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(30)], Schedule.EscalationPolicy.Levels.Select(l => l.EscalateAfter));
    }

    [Fact]
    public void A_daily_handoff_stays_at_nine_local_time_across_the_spring_change_and_that_shift_is_23_hours()
    {
        // Berlin springs forward on 29 March 2026: 09:00 is 08:00Z on the 28th and 07:00Z on the 29th.
        Assert.Equal("bob", Schedule.ShiftAt("primary", Utc(3, 29, 6, 59))!.Person);
        var carol = Schedule.ShiftAt("primary", Utc(3, 29, 7))!;
        Assert.Equal(("carol", Utc(3, 29, 7), Utc(3, 30, 7)), (carol.Person, carol.Start, carol.End));
        var bob = Schedule.ShiftAt("primary", Utc(3, 29, 1))!;
        Assert.Equal(TimeSpan.FromHours(23), bob.End - bob.Start);
    }

    [Fact]
    public void A_daily_handoff_stays_at_nine_local_time_across_the_autumn_change_and_that_shift_is_25_hours()
    {
        var shift = Schedule.ShiftAt("primary", Utc(10, 25, 1))!;

        Assert.Equal((Utc(10, 24, 7), Utc(10, 25, 8)), (shift.Start, shift.End));
        Assert.Equal(TimeSpan.FromHours(25), shift.End - shift.Start);
    }

    [Fact]
    public void A_handoff_in_the_skipped_hour_happens_with_the_offset_before_the_jump()
    {
        var rotation = new Rotation("night", ["x", "y"], new DateTime(2026, 3, 28, 2, 30, 0), TimeSpan.FromDays(1), TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin"));

        var shift = rotation.ShiftAt(Utc(3, 29, 12))!;

        Assert.Equal(("y", Utc(3, 29, 1, 30)), (shift.Person, shift.Start));
    }

    [Fact]
    public void A_period_shorter_than_a_day_counts_elapsed_hours()
    {
        var rotation = new Rotation("halves", ["x", "y"], new DateTime(2026, 3, 28, 21, 0, 0), TimeSpan.FromHours(12), TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin"));

        var shift = rotation.ShiftAt(Utc(3, 29, 9))!;

        Assert.Equal(("y", Utc(3, 29, 8), Utc(3, 29, 20)), (shift.Person, shift.Start, shift.End));
    }

    [Fact]
    public void Nobody_is_on_call_before_a_rotation_starts()
    {
        Assert.Null(Schedule.ShiftAt("primary", Utc(3, 27, 7, 59)));
        Assert.Equal(["secondary"], Schedule.WhoIsOnCall(Utc(3, 27, 7, 59)).Select(s => s.Rotation));
    }

    [Fact]
    public void An_override_takes_the_shift_for_its_window_only()
    {
        var during = Schedule.ShiftAt("primary", Utc(3, 28, 12))!;
        Assert.Equal(("dave", true, Utc(3, 28, 11), Utc(3, 28, 17)), (during.Person, during.IsOverride, during.Start, during.End));
        Assert.Equal("bob", Schedule.ShiftAt("primary", Utc(3, 28, 10, 59))!.Person);
        Assert.Equal("bob", Schedule.ShiftAt("primary", Utc(3, 28, 17))!.Person);
        Assert.Equal(["dave", "erin"], Schedule.WhoIsOnCall(Utc(3, 28, 12)).Select(s => s.Person));
    }

    [Fact]
    public void An_unacknowledged_incident_escalates_level_by_level_then_round_again_then_stays_on_the_last_level()
    {
        var opened = Utc(3, 30, 10);

        var first = Schedule.Escalation(opened, null, Utc(3, 30, 10, 5));
        Assert.Equal((1, 1, Utc(3, 30, 10, 15)), (first.Level, first.Pass, first.NextEscalationAt));
        Assert.Equal(["alice"], first.Page);

        var second = Schedule.Escalation(opened, null, Utc(3, 30, 10, 15));
        Assert.Equal((2, 1, Utc(3, 30, 10, 15)), (second.Level, second.Pass, second.LevelSince));
        Assert.Equal(["frank", "grace"], second.Page);

        var again = Schedule.Escalation(opened, null, Utc(3, 30, 10, 45));
        Assert.Equal((1, 2), (again.Level, again.Pass));

        var last = Schedule.Escalation(opened, null, Utc(3, 30, 13));
        Assert.Equal((2, 2, Utc(3, 30, 11)), (last.Level, last.Pass, last.LevelSince));
        Assert.Null(last.NextEscalationAt);
    }

    [Fact]
    public void An_acknowledged_incident_pages_nobody_and_an_acknowledgement_yet_to_come_changes_nothing()
    {
        var opened = Utc(3, 30, 10);

        var acknowledged = Schedule.Escalation(opened, Utc(3, 30, 10, 20), Utc(3, 30, 11));
        Assert.True(acknowledged.IsAcknowledged);
        Assert.Equal(2, acknowledged.Level);
        Assert.Empty(acknowledged.Page);
        Assert.Null(acknowledged.NextEscalationAt);

        var notYet = Schedule.Escalation(opened, Utc(3, 30, 12), Utc(3, 30, 10, 5));
        Assert.False(notYet.IsAcknowledged);
        Assert.Equal(["alice"], notYet.Page);
    }

    [Fact]
    public void Manifest_errors_name_their_line_and_field()
    {
        string yaml = SampleSchedule.Yaml;
        int zone = yaml.IndexOf("Europe/Berlin", StringComparison.Ordinal);
        var errors = Errors((yaml[..zone] + "Europe/Berlln" + yaml[(zone + "Europe/Berlin".Length)..])
            .Replace("start: 2026-03-27T09:00", "start: 2026-03-27T09:00+01:00", StringComparison.Ordinal)
            .Replace("- rotation: primary", "- rotation: primray", StringComparison.Ordinal)
            .Replace("[{ rotation: primary }]", "[{ rotation: tertiary }]", StringComparison.Ordinal)
            .Replace("end: 2026-03-28T18:00:00+01:00", "end: 2026-03-28T11:00:00+01:00", StringComparison.Ordinal)
            .Replace("repeat: 1", "repaet: 1", StringComparison.Ordinal));

        Assert.Contains(errors, e => (e.Line, e.Path) == (9, "spec.rotations[0].start"));
        Assert.Contains(errors, e => (e.Line, e.Path) == (11, "spec.rotations[0].timeZone") && e.Message.Contains("Europe/Berlln", StringComparison.Ordinal));
        Assert.Contains(errors, e => (e.Line, e.Path) == (18, "spec.overrides[0].rotation") && e.Message.Contains("known: primary, secondary", StringComparison.Ordinal));
        Assert.Contains(errors, e => (e.Line, e.Path) == (21, "spec.overrides[0].end"));
        Assert.Contains(errors, e => (e.Line, e.Path) == (23, "spec.escalation.repaet") && e.Message.Contains("repeat", StringComparison.Ordinal));
        Assert.Contains(errors, e => (e.Line, e.Path) == (25, "spec.escalation.levels[0].targets[0].rotation"));
    }

    [Fact]
    public void A_schedule_without_rotations_or_escalation_is_refused_with_both_errors()
    {
        var errors = Errors("""
            apiVersion: neocloud.dev/v1
            kind: OnCallSchedule
            metadata:
              name: empty
            spec: {}
            """);

        Assert.Contains(errors, e => e.Path == "spec.rotations");
        Assert.Contains(errors, e => e.Path == "spec.escalation");
        Assert.Throws<OnCallScheduleException>(() => OnCallScheduleReader.Parse("kind: OnCallSchedule"));
    }

    [Property(MaxTest = 300)]
    public Property Shifts_tile_time_without_gaps_or_overlaps_across_daylight_saving_changes() =>
        Prop.ForAll(Gen.Choose(0, 2 * 365 * 24 * 60).ToArbitrary(), minutes =>
        {
            var at = Utc(3, 27, 8).AddMinutes(minutes);
            foreach (var rotation in Schedule.Rotations)
            {
                var shift = rotation.ShiftAt(at)!;
                var next = rotation.ShiftAt(shift.End)!;
                if (!(shift.Start <= at && at < shift.End && next.Start == shift.End && next.Person != shift.Person))
                {
                    return false;
                }
            }

            return true;
        });
}

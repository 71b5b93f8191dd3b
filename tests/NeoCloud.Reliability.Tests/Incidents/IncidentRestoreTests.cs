using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NeoCloud.Reliability.Incidents;
using static NeoCloud.Reliability.Tests.Incidents.IncidentScenario;

namespace NeoCloud.Reliability.Tests.Incidents;

public sealed class IncidentRestoreTests
{
    [Property(MaxTest = 200)]
    public Property An_incident_rebuilt_from_its_parts_equals_the_original_at_every_point_of_its_lifecycle() =>
        Prop.ForAll(Gen.Choose(0, 3).ToArbitrary(), Gen.Choose(1, 5).ToArbitrary(), (progress, joined) =>
        {
            var tracker = new IncidentTracker();
            var incident = tracker.Raise([NodeDown(0, "sw-1", "r-1")], At(1));
            for (int n = 1; n < joined; n++)
            {
                incident = tracker.Raise([NodeDown(n, "sw-1", "r-1", severity: "critical")], At(1 + n));
            }

            if (progress >= 1)
            {
                incident = tracker.Acknowledge(incident.Id, At(10), "person:alice", "mine");
            }

            if (progress >= 2)
            {
                incident = tracker.Mitigate(incident.Id, At(11), "person:alice", "drained");
            }

            if (progress >= 3)
            {
                incident = tracker.Resolve(incident.Id, At(12), "person:alice", "fixed", "bad optic");
            }

            var copy = Rebuild(incident);
            return copy.Id == incident.Id && copy.Status == incident.Status && copy.Severity == incident.Severity
                && copy.Timeline.SequenceEqual(incident.Timeline) && copy.AlertFingerprints.SetEquals(incident.AlertFingerprints)
                && copy.CorrelationKeys.SetEquals(incident.CorrelationKeys) && copy.ProbableRootCause == incident.ProbableRootCause
                && copy.TimeToResolve == incident.TimeToResolve && copy.AffectedTenants.SetEquals(incident.AffectedTenants)
                && PostIncidentSummary.Write(copy) == PostIncidentSummary.Write(incident);
        });

    [Fact]
    public void A_status_that_contradicts_the_timeline_is_refused_with_both_named()
    {
        var incident = Opened();
        var ex = Assert.Throws<ArgumentException>(() => Incident.Rehydrate(
            incident.Id, incident.Title, incident.Severity, IncidentStatus.Resolved, incident.LineOfBusiness, incident.Onset, incident.Timeline,
            "", [], [], [], [], [], [], []));
        Assert.Contains("Resolved contradicts its timeline, which says Open", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_timeline_that_goes_backwards_is_refused()
    {
        var incident = Opened().Acknowledge(At(5), "person:alice");
        IncidentEvent[] timeline = [incident.Timeline[0], incident.Timeline[1] with { At = At(-60) }];
        var ex = Assert.Throws<ArgumentException>(() => Incident.Rehydrate(
            incident.Id, incident.Title, incident.Severity, incident.Status, incident.LineOfBusiness, incident.Onset, timeline, "", [], [], [], [], [], [], []));
        Assert.Contains("before the one before it", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_restored_tracker_continues_numbering_and_lets_alerts_of_the_same_root_cause_join()
    {
        var before = new IncidentTracker();
        var first = before.Raise([NodeDown(1, "sw-1", "r-1")], At(1));
        var second = before.Raise([NodeDown(2, "sw-2", "r-1")], At(2));
        second = before.Acknowledge(second.Id, At(3), "person:bob");
        second = before.Resolve(second.Id, At(4), "person:bob", "fixed");

        var after = new IncidentTracker();
        after.Restore([Rebuild(second), Rebuild(first)]);

        var joined = after.Raise([NodeDown(3, "sw-1", "r-2")], At(5));
        Assert.Equal(first.Id, joined.Id);
        Assert.Equal(2, joined.AlertFingerprints.Count);
        var fresh = after.Raise([NodeDown(4, "sw-3", "r-3")], At(6));
        Assert.Equal("INC-0003", fresh.Id);
        Assert.Equal([first.Id, second.Id, "INC-0003"], after.Incidents.Select(i => i.Id));
    }

    private static Incident Rebuild(Incident i) => Incident.Rehydrate(
        i.Id, i.Title, i.Severity, i.Status, i.LineOfBusiness, i.Onset, i.Timeline, i.ProbableRootCause, i.CorrelationKeys, i.AlertFingerprints,
        i.AffectedTenants, i.AffectedSlos, i.AffectedNodes, i.FindingIds, i.RemediationRunIds);
}

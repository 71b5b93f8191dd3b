using NeoCloud.Reliability.Incidents;
using static NeoCloud.Reliability.Tests.Incidents.IncidentScenario;

namespace NeoCloud.Reliability.Tests.Incidents;

public sealed class IncidentLifecycleTests
{
    [Fact]
    public void A_new_incident_is_open_with_one_opened_event()
    {
        var incident = Opened();

        Assert.Equal(IncidentStatus.Open, incident.Status);
        var opened = Assert.Single(incident.Timeline);
        Assert.Equal(IncidentEventKind.Opened, opened.Kind);
        Assert.Equal(At(2), opened.At);
        Assert.Equal("alertmanager", opened.Actor);
    }

    [Fact]
    public void Acknowledging_an_open_incident_records_who_and_when()
    {
        var acknowledged = Opened().Acknowledge(At(5), "alice", "looking");

        Assert.Equal(IncidentStatus.Acknowledged, acknowledged.Status);
        Assert.Equal(new IncidentEvent(IncidentEventKind.Acknowledged, At(5), "alice", "looking"), acknowledged.Timeline[^1]);
        Assert.Equal(At(5), acknowledged.AcknowledgedAt);
    }

    [Fact]
    public void Acknowledging_twice_changes_nothing()
    {
        var once = Opened().Acknowledge(At(5), "alice");

        var twice = once.Acknowledge(At(7), "bob");

        Assert.Same(once, twice);
        Assert.Equal(At(5), twice.AcknowledgedAt);
    }

    [Fact]
    public void Acknowledging_a_mitigated_incident_changes_nothing()
    {
        var mitigated = Opened().Acknowledge(At(5), "alice").Mitigate(At(9), "alice");

        Assert.Same(mitigated, mitigated.Acknowledge(At(10), "bob"));
    }

    [Fact]
    public void Mitigating_an_open_incident_is_refused_and_the_error_names_the_state()
    {
        var incident = Opened();

        var error = Assert.Throws<IncidentTransitionException>(() => incident.Mitigate(At(5), "alice"));

        Assert.Equal(IncidentStatus.Open, error.Status);
        Assert.Equal(incident.Id, error.IncidentId);
        Assert.Contains("it is open", error.Message, StringComparison.Ordinal);
        Assert.Contains("acknowledge it first", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Mitigating_an_acknowledged_incident_moves_it_to_mitigated()
    {
        var mitigated = Opened().Acknowledge(At(5), "alice").Mitigate(At(9), "alice", "cordoned the rack");

        Assert.Equal(IncidentStatus.Mitigated, mitigated.Status);
        Assert.Equal(At(9), mitigated.MitigatedAt);
    }

    [Fact]
    public void Mitigating_twice_is_refused()
    {
        var mitigated = Opened().Acknowledge(At(5), "alice").Mitigate(At(9), "alice");

        var error = Assert.Throws<IncidentTransitionException>(() => mitigated.Mitigate(At(10), "bob"));

        Assert.Equal(IncidentStatus.Mitigated, error.Status);
        Assert.Contains("it is mitigated", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolving_an_open_incident_is_refused()
    {
        var error = Assert.Throws<IncidentTransitionException>(() => Opened().Resolve(At(5), "alice"));

        Assert.Equal(IncidentStatus.Open, error.Status);
    }

    [Fact]
    public void Resolving_a_mitigated_incident_closes_it()
    {
        var resolved = Opened().Acknowledge(At(5), "alice").Mitigate(At(9), "alice").Resolve(At(30), "alice");

        Assert.Equal(IncidentStatus.Resolved, resolved.Status);
        Assert.True(resolved.IsResolved);
        Assert.Equal(
            [IncidentEventKind.Opened, IncidentEventKind.Acknowledged, IncidentEventKind.Mitigated, IncidentEventKind.Resolved],
            resolved.Timeline.Select(e => e.Kind));
    }

    [Fact]
    public void Resolving_an_acknowledged_incident_counts_the_resolution_as_the_mitigation()
    {
        var resolved = Opened(startMinute: 0).Acknowledge(At(5), "alice").Resolve(At(20), "alice");

        Assert.Null(resolved.MitigatedAt);
        Assert.Equal(TimeSpan.FromMinutes(20), resolved.TimeToMitigate);
        Assert.Equal(TimeSpan.FromMinutes(20), resolved.TimeToResolve);
    }

    [Fact]
    public void Resolving_with_a_root_cause_replaces_the_probable_one()
    {
        var resolved = Opened().Acknowledge(At(5), "alice").Resolve(At(20), "alice", rootCause: "optic failed on sw-1 port 12");

        Assert.Equal("optic failed on sw-1 port 12", resolved.ProbableRootCause);
    }

    [Fact]
    public void A_resolved_incident_refuses_every_change_and_says_it_is_resolved()
    {
        var resolved = Opened().Acknowledge(At(5), "alice").Resolve(At(20), "alice");

        var refusals = new Action[]
        {
            () => resolved.Acknowledge(At(21), "bob"),
            () => resolved.Mitigate(At(21), "bob"),
            () => resolved.Resolve(At(21), "bob"),
            () => resolved.LinkFinding("fnd-1", At(21), "bob"),
            () => resolved.LinkRemediationRun("run-1", At(21), "bob"),
            () => resolved.Join([NodeDown(9, "sw-1", "r-1", 21)], ["switch=sw-1"], "switch sw-1", At(21), "bob"),
        };

        foreach (var refusal in refusals)
        {
            var error = Assert.Throws<IncidentTransitionException>(refusal);
            Assert.Equal(IncidentStatus.Resolved, error.Status);
            Assert.Contains("it is resolved", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void An_event_earlier_than_the_last_one_is_refused()
    {
        var acknowledged = Opened().Acknowledge(At(10), "alice");

        Assert.Throws<ArgumentOutOfRangeException>(() => acknowledged.Mitigate(At(9), "alice"));
    }

    [Fact]
    public void Linking_the_same_finding_or_run_twice_adds_one_line()
    {
        var linked = Opened()
            .LinkFinding("fnd-7", At(3), "health")
            .LinkFinding("fnd-7", At(4), "health")
            .LinkRemediationRun("run-2", At(5), "health")
            .LinkRemediationRun("run-2", At(6), "health");

        Assert.Equal(["fnd-7"], linked.FindingIds);
        Assert.Equal(["run-2"], linked.RemediationRunIds);
        Assert.Equal(2, linked.Timeline.Count(e => e.Kind == IncidentEventKind.Linked));
    }
}

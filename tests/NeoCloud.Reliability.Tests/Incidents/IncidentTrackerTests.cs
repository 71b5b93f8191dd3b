using NeoCloud.Reliability.Alerting;
using NeoCloud.Reliability.Incidents;
using static NeoCloud.Reliability.Tests.Incidents.IncidentScenario;

namespace NeoCloud.Reliability.Tests.Incidents;

public sealed class IncidentTrackerTests
{
    [Fact]
    public void Thirty_two_alerts_under_one_switch_become_one_incident()
    {
        var tracker = new IncidentTracker();

        // One alert at a time, across four racks, as nodes notice the dead switch at slightly different moments.
        for (int node = 0; node < 32; node++)
        {
            tracker.Raise([NodeDown(node, "sw-7", $"r-{node / 8}", startMinute: node % 3)], At(3 + (node / 8)));
        }

        var incident = Assert.Single(tracker.Incidents);
        Assert.Equal(32, incident.AlertFingerprints.Count);
        Assert.Equal(32, incident.AffectedNodes.Count);
        Assert.Equal(["switch=sw-7"], incident.CorrelationKeys);
        Assert.Equal("switch sw-7 (32 alerts on 32 nodes)", incident.ProbableRootCause);
        Assert.Equal("node-down on switch sw-7", incident.Title);
        Assert.Equal(["acme", "globex"], incident.AffectedTenants);
        Assert.Equal("training", incident.LineOfBusiness);
        Assert.Equal(At(0), incident.Onset);
    }

    [Fact]
    public void Alerts_under_two_switches_open_two_incidents()
    {
        var tracker = new IncidentTracker();

        var first = tracker.Raise([NodeDown(1, "sw-1", "r-1")], At(1));
        var second = tracker.Raise([NodeDown(2, "sw-2", "r-1")], At(1));

        Assert.NotEqual(first.Id, second.Id);
        Assert.Equal(2, tracker.Incidents.Count);
    }

    [Fact]
    public void A_group_of_alerts_opens_one_incident_even_when_it_spans_two_domains()
    {
        var tracker = new IncidentTracker();

        var incident = tracker.Raise([NodeDown(1, "sw-1", "r-1"), NodeDown(2, "sw-2", "r-1")], At(1));

        Assert.Single(tracker.Incidents);
        Assert.Equal(["switch=sw-1", "switch=sw-2"], incident.CorrelationKeys);
    }

    [Fact]
    public void Alerts_sharing_a_health_diagnosis_join_one_incident_across_switches()
    {
        var tracker = new IncidentTracker();
        var diagnosed = Alert.Firing(At(0), ("alertname", "gpu-xid"), ("node", "n001"), (IncidentLabels.Diagnosis, "dgn-42"));
        var elsewhere = Alert.Firing(At(1), ("alertname", "gpu-ecc"), ("node", "n900"), ("switch", "sw-9"), (IncidentLabels.Diagnosis, "dgn-42"));

        tracker.Raise([diagnosed], At(2));
        var incident = tracker.Raise([elsewhere], At(3));

        Assert.Single(tracker.Incidents);
        Assert.StartsWith("Health diagnosis dgn-42", incident.ProbableRootCause, StringComparison.Ordinal);
    }

    [Fact]
    public void A_diagnosed_alert_meets_the_undiagnosed_alerts_of_its_switch()
    {
        var tracker = new IncidentTracker();
        var diagnosed = Alert.Firing(At(0), ("alertname", "switch-down"), ("switch", "sw-3"), (IncidentLabels.Diagnosis, "dgn-1"));

        tracker.Raise([diagnosed], At(1));
        tracker.Raise([NodeDown(5, "sw-3", "r-2")], At(2));

        Assert.Single(tracker.Incidents);
    }

    [Fact]
    public void Two_unrelated_nodes_in_one_rack_but_under_different_switches_stay_apart()
    {
        var tracker = new IncidentTracker();

        tracker.Raise([NodeDown(1, "sw-1", "r-1")], At(1));
        tracker.Raise([NodeDown(2, "sw-2", "r-1")], At(2));

        Assert.Equal(2, tracker.Incidents.Count);
    }

    [Fact]
    public void Alerts_without_a_failure_domain_or_diagnosis_open_separate_incidents()
    {
        var tracker = new IncidentTracker();

        var first = tracker.Raise([Alert.Firing(At(0), ("alertname", "api-latency"))], At(1));
        tracker.Raise([Alert.Firing(At(0), ("alertname", "api-errors"))], At(1));

        Assert.Equal(2, tracker.Incidents.Count);
        Assert.StartsWith("unknown", first.ProbableRootCause, StringComparison.Ordinal);
    }

    [Fact]
    public void An_alert_after_the_incident_is_resolved_opens_a_new_one()
    {
        var tracker = new IncidentTracker();
        var first = tracker.Raise([NodeDown(1, "sw-1", "r-1")], At(1));
        tracker.Acknowledge(first.Id, At(2), "alice");
        tracker.Resolve(first.Id, At(10), "alice");

        var second = tracker.Raise([NodeDown(2, "sw-1", "r-1", startMinute: 11)], At(12));

        Assert.NotEqual(first.Id, second.Id);
        Assert.Equal(IncidentStatus.Resolved, tracker[first.Id].Status);
        Assert.Single(tracker.Unresolved);
        Assert.Equal(second.Id, tracker.Raise([NodeDown(3, "sw-1", "r-1", startMinute: 12)], At(13)).Id);
    }

    [Fact]
    public void A_group_touching_two_open_incidents_joins_one_of_them_and_opens_none()
    {
        var tracker = new IncidentTracker();
        var first = tracker.Raise([NodeDown(1, "sw-1", "r-1")], At(1));
        tracker.Raise([NodeDown(2, "sw-2", "r-2")], At(1));

        var joined = tracker.Raise([NodeDown(3, "sw-1", "r-1"), NodeDown(4, "sw-2", "r-2")], At(2));

        Assert.Equal(first.Id, joined.Id);
        Assert.Equal(2, tracker.Incidents.Count);
    }

    [Fact]
    public void Alerts_sent_again_add_nothing_to_the_timeline()
    {
        var tracker = new IncidentTracker();
        var alert = NodeDown(1, "sw-1", "r-1");
        var opened = tracker.Raise([alert], At(1));

        var again = tracker.Raise([alert], At(240));

        Assert.Same(opened, again);
        Assert.Single(again.Timeline);
    }

    [Fact]
    public void A_joining_alert_of_worse_severity_raises_the_incident_and_says_so()
    {
        var tracker = new IncidentTracker();
        var opened = tracker.Raise([NodeDown(1, "sw-1", "r-1", severity: "ticket")], At(1));
        Assert.Equal(IncidentSeverity.Sev3, opened.Severity);

        var joined = tracker.Raise([NodeDown(2, "sw-1", "r-1", severity: "critical")], At(2));

        Assert.Equal(IncidentSeverity.Sev1, joined.Severity);
        Assert.Contains("severity raised from sev3 to sev1", joined.Timeline[^1].Note, StringComparison.Ordinal);
    }

    [Fact]
    public void Alerts_name_the_affected_slos_and_findings()
    {
        var tracker = new IncidentTracker();
        var burn = Alert.Firing(
            At(0),
            ("alertname", "NeoCloudSloBudgetBurnPage"),
            (IncidentLabels.Slo, "gpu-node-availability"),
            (IncidentLabels.Finding, "fnd-3"),
            (IncidentLabels.Diagnosis, "dgn-3"),
            ("severity", "page"));

        var incident = tracker.Raise([burn], At(1));

        Assert.Equal(["gpu-node-availability"], incident.AffectedSlos);
        Assert.Equal(["fnd-3"], incident.FindingIds);
        Assert.Equal(IncidentSeverity.Sev2, incident.Severity);
        Assert.Equal(Incident.UnassignedLineOfBusiness, incident.LineOfBusiness);
    }

    [Fact]
    public void An_unknown_incident_is_named_in_the_error()
    {
        var error = Assert.Throws<KeyNotFoundException>(() => new IncidentTracker().Acknowledge("INC-9999", At(0), "alice"));

        Assert.Contains("INC-9999", error.Message, StringComparison.Ordinal);
    }
}

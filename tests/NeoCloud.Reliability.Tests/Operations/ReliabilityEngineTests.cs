using NeoCloud.Health.Remediation;
using NeoCloud.Reliability.Alerting;
using NeoCloud.Reliability.Export;
using NeoCloud.Reliability.Incidents;
using NeoCloud.Reliability.Operations;
using NeoCloud.Reliability.Sources;
using static NeoCloud.Reliability.Tests.Sources.HealthScenario;

namespace NeoCloud.Reliability.Tests.Operations;

public sealed class ReliabilityEngineTests
{
    /// <summary>Steps the engine every 10 s from <paramref name="from"/> to <paramref name="to"/> seconds, as the host does.</summary>
    private static List<ReliabilityStep> StepEvery10s(ReliabilityEngine engine, Func<DateTimeOffset, IReadOnlyList<Alert>> alerts, double from, double to)
    {
        var steps = new List<ReliabilityStep>();
        for (double s = from; s <= to; s += 10)
        {
            steps.Add(engine.Step(alerts(At(s)), At(s)));
        }

        return steps;
    }

    [Fact]
    public void A_gpu_fault_opens_one_incident_after_group_wait_that_its_run_acknowledges_mitigates_and_resolves()
    {
        var engine = ReliabilityDefaults.Engine();
        var source = new HealthAlertSource();
        var diagnosis = GpuFault("dgn-1");
        source.Observe(diagnosis, Run("rem-1", diagnosis, RemediationStep.Drain, 20));

        var steps = StepEvery10s(engine, source.Alerts, 20, 120);
        var opened = Assert.Single(steps.SelectMany(s => s.Opened));
        Assert.Equal(At(50), opened.OpenedAt); // group_wait of 30 s after the alert arrived
        Assert.Equal(TimeSpan.FromSeconds(45), opened.TimeToDetect); // onset was the finding's first sample at 5 s
        var incident = engine.Incidents[opened.Id];
        Assert.Equal(IncidentStatus.Acknowledged, incident.Status);
        Assert.Contains("rem-1", incident.RemediationRunIds);
        Assert.Equal(ReliabilityEngine.RemediationActor, incident.Timeline.Single(e => e.Kind == IncidentEventKind.Acknowledged).Actor);

        source.Observe(Run("rem-1", diagnosis, RemediationStep.Act, 130, version: 2));
        StepEvery10s(engine, source.Alerts, 130, 300);
        Assert.Equal(IncidentStatus.Mitigated, engine.Incidents[opened.Id].Status);

        source.Observe(Run("rem-1", diagnosis, RemediationStep.Returned, 900, version: 3));
        steps = StepEvery10s(engine, source.Alerts, 900, 1500);
        var resolved = engine.Incidents[opened.Id];
        Assert.Equal(IncidentStatus.Resolved, resolved.Status);
        Assert.Equal(At(1200), resolved.ResolvedAt); // the alert ended at 900 s, then 5 quiet minutes
        Assert.Empty(steps.SelectMany(s => s.Opened));
        Assert.Single(engine.Incidents.Incidents);
    }

    [Fact]
    public void A_repeat_notification_never_opens_a_second_incident()
    {
        var engine = ReliabilityDefaults.Engine();
        var alert = Alert.Firing(At(0), ("alertname", "disk-full"), ("node", "n9"), ("severity", "warning"));
        for (int minute = 0; minute <= 9 * 60; minute += 5)
        {
            engine.Step([alert], At(minute * 60));
        }

        Assert.Single(engine.Incidents.Incidents);
        Assert.Equal(IncidentStatus.Open, engine.Incidents.Incidents[0].Status);
    }

    [Fact]
    public void An_alert_the_sources_stop_reporting_has_ended_and_its_incident_closes_after_the_quiet_period()
    {
        var engine = ReliabilityDefaults.Engine();
        var alert = Alert.Firing(At(0), ("alertname", "disk-full"), ("node", "n9"), ("severity", "warning"));
        engine.Step([alert], At(0));
        engine.Step([alert], At(30));
        var incident = Assert.Single(engine.Incidents.Incidents);

        engine.Step([], At(60));
        Assert.Equal(At(60), Assert.Single(engine.Alerts).EndsAt);
        engine.Step([], At(300));
        Assert.False(engine.Incidents[incident.Id].IsResolved);
        engine.Step([], At(360));
        var resolved = engine.Incidents[incident.Id];
        Assert.True(resolved.IsResolved);

        // Automation acknowledged it only because it ended before anyone did: the timeline says so.
        Assert.Contains(resolved.Timeline, e => e.Kind == IncidentEventKind.Acknowledged && e.Note.Contains("before anyone", StringComparison.Ordinal));
    }

    [Fact]
    public void An_alert_that_fires_again_after_its_incident_closed_opens_a_new_incident()
    {
        var engine = ReliabilityDefaults.Engine();
        var alert = Alert.Firing(At(0), ("alertname", "disk-full"), ("node", "n9"), ("severity", "warning"));
        engine.Step([alert], At(0));
        engine.Step([alert], At(30));
        engine.Step([], At(60));
        engine.Step([], At(400));
        Assert.True(Assert.Single(engine.Incidents.Incidents).IsResolved);

        var again = alert with { StartsAt = At(1000) };
        var steps = new[] { engine.Step([again], At(1000)), engine.Step([again], At(1030)) };
        Assert.Single(steps.SelectMany(s => s.NewlyFiring));
        Assert.Single(steps.SelectMany(s => s.Opened));
        Assert.Equal(2, engine.Incidents.IncidentCount);
    }

    [Fact]
    public void A_gpu_fault_and_the_node_diagnosis_that_widens_it_are_one_incident()
    {
        var engine = ReliabilityDefaults.Engine();
        var source = new HealthAlertSource();
        source.Observe(GpuFault("dgn-1", at: 20), null);
        StepEvery10s(engine, source.Alerts, 20, 60);
        source.Observe(NodeDown("dgn-2", at: 70, supersedes: ["dgn-1"]), null);
        StepEvery10s(engine, source.Alerts, 70, 200);

        var incident = Assert.Single(engine.Incidents.Incidents);
        Assert.Equal(2, incident.AlertFingerprints.Count);
        Assert.Contains("neocloud_diagnosis=dgn-2", incident.CorrelationKeys);
    }

    [Fact]
    public void A_node_that_is_down_mutes_its_gpu_alerts_so_only_the_node_opens_an_incident()
    {
        var engine = ReliabilityDefaults.Engine();
        var source = new HealthAlertSource();
        source.Observe(NodeDown("dgn-1", at: 20), null);
        source.Observe(GpuFault("dgn-2", at: 20), null);
        var steps = StepEvery10s(engine, source.Alerts, 20, 120);

        var notified = steps.SelectMany(s => s.Notifications).SelectMany(n => n.Firing).ToList();
        Assert.All(notified, a => Assert.Equal(HealthAlertNames.NodeDown, a["alertname"]));
        var incident = Assert.Single(engine.Incidents.Incidents);
        Assert.Equal(IncidentSeverity.Sev2, incident.Severity);
    }

    [Fact]
    public void Alerts_under_one_switch_are_one_critical_incident()
    {
        var engine = ReliabilityDefaults.Engine();
        var source = new HealthAlertSource();
        source.Observe(SwitchDown("dgn-1", "leaf-3", [.. Enumerable.Range(1, 32).Select(i => $"n{i:D3}")]), null);
        var raw = Enumerable.Range(1, 5)
            .Select(i => Alert.Firing(At(30), ("alertname", "link-flap"), ("switch", "leaf-3"), ("node", $"n{i:D3}"), ("severity", "warning")))
            .ToList();
        StepEvery10s(engine, now => [.. source.Alerts(now), .. raw], 40, 200);

        var incident = Assert.Single(engine.Incidents.Incidents);
        Assert.Equal(IncidentSeverity.Sev1, incident.Severity);
        Assert.Equal(6, incident.AlertFingerprints.Count);
        Assert.Contains("switch leaf-3", incident.ProbableRootCause, StringComparison.Ordinal);
    }

    [Fact]
    public void An_slo_page_mutes_its_ticket_and_both_belong_to_one_incident()
    {
        var engine = ReliabilityDefaults.Engine();
        Alert Burn(string name, string severity, string window) => Alert.Firing(
            At(0),
            ("alertname", name),
            ("severity", severity),
            (RuleNames.SloLabel, "job-success"),
            (RuleNames.ObjectiveLabel, "99"),
            (RuleNames.WindowLabel, window));
        var ticket = Burn(RuleNames.TicketAlert, "ticket", "1d");
        var page = Burn(RuleNames.PageAlert, "page", "1h");

        engine.Step([ticket], At(0));
        engine.Step([ticket], At(30));
        engine.Step([ticket, page], At(60));
        var steps = StepEvery10s(engine, _ => [ticket, page], 70, 700);

        var incident = Assert.Single(engine.Incidents.Incidents);
        Assert.Equal(IncidentSeverity.Sev2, incident.Severity);
        Assert.Equal(2, incident.AlertFingerprints.Count);
        Assert.DoesNotContain(steps.SelectMany(s => s.Notifications).SelectMany(n => n.Firing), a => a["alertname"] == RuleNames.TicketAlert);
    }

    [Fact]
    public void A_job_error_on_one_node_joins_the_incident_of_that_nodes_gpu_fault_and_one_across_nodes_stays_apart()
    {
        var engine = ReliabilityDefaults.Engine();
        var source = new HealthAlertSource();
        source.Observe(GpuFault("dgn-1", node: "n001", at: 20), null);
        StepEvery10s(engine, source.Alerts, 20, 60);
        source.Observe(JobFault("dgn-2", "train-7", ["n001"], at: 70), null);
        source.Observe(JobFault("dgn-3", "train-9", ["n004", "n005"], at: 70), null);
        StepEvery10s(engine, source.Alerts, 70, 200);

        Assert.Equal(2, engine.Incidents.IncidentCount);
        var gpu = Assert.Single(engine.Incidents.Incidents, i => i.CorrelationKeys.Contains("neocloud_diagnosis=dgn-1"));
        Assert.Contains("neocloud_diagnosis=dgn-2", gpu.CorrelationKeys);
        Assert.Single(engine.Incidents.Incidents, i => i.CorrelationKeys.Contains("neocloud_diagnosis=dgn-3"));
    }
}

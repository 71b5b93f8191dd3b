using FsCheck;
using FsCheck.Xunit;
using NeoCloud.Kernel.Ids;
using NeoCloud.Reliability.Alerting;
using NeoCloud.Reliability.Evaluation;
using NeoCloud.Reliability.Export;
using NeoCloud.Reliability.Incidents;
using NeoCloud.Reliability.Slos;
using NeoCloud.Reliability.Sources;
using NeoCloud.Simulator.Faults;
using NeoCloud.Simulator.Reliability;
using NeoCloud.Simulator.Tests.SelfHealing;

namespace NeoCloud.Simulator.Tests.Reliability;

/// <summary>The scorer's definitions, one by one, on hand-made faults, alerts and SLI events over the scenario fleet's topology.</summary>
public sealed class AlertScorerTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset End = Start + TimeSpan.FromHours(12);
    private static readonly Fleet.Topology.FleetTopology Topology = ScenarioFleet.Fleet;

    [Fact]
    public void A_gpu_alert_during_a_fault_on_that_gpu_is_a_true_positive_and_recalls_it()
    {
        var gpu = Topology.Gpus[3].Id;
        var fault = GpuFault(gpu, Start.AddHours(1), Start.AddHours(2));

        var summary = Score([fault], [Raised(GpuAlert(gpu, Start.AddHours(1).AddSeconds(20)))]);

        Assert.Equal(1, summary.Raised);
        Assert.Equal(1, summary.TruePositive);
        Assert.Equal(1.0, summary.Precision);
        Assert.Equal(1, summary.PageWorthy);
        Assert.Equal(1.0, summary.Recall);
    }

    [Fact]
    public void A_gpu_alert_on_a_node_with_no_fault_is_a_false_positive()
    {
        var faulty = Topology.Gpus[3].Id;
        var healthy = Topology.Gpus[Topology.GpuOffsets[5]].Id;
        var fault = GpuFault(faulty, Start.AddHours(1), Start.AddHours(2));

        var summary = Score([fault], [Raised(GpuAlert(healthy, Start.AddHours(1).AddSeconds(20)))]);

        Assert.Equal(0, summary.TruePositive);
        Assert.Equal(0.0, summary.Precision);
        Assert.Equal(0.0, summary.Recall);
        Assert.Single(summary.FalsePositives);
        Assert.Single(summary.Missed);
    }

    [Fact]
    public void A_gpu_alert_is_explained_by_a_fault_elsewhere_on_its_node()
    {
        var node = Topology.Nodes[2].Id;
        var nodeFault = new InjectedFault(
            "flt-2", FaultKind.HeartbeatLoss, FaultCause.HostMaintenance, FaultScope.Node, node.Value, Start.AddHours(1), Start.AddHours(2), true, null,
            [], [node], [], null, true);

        var summary = Score([nodeFault], [Raised(GpuAlert(Topology.Gpus[Topology.GpuOffsets[2] + 4].Id, Start.AddHours(1).AddMinutes(1)))]);

        Assert.Equal(1, summary.TruePositive);
    }

    [Fact]
    public void A_gpu_alert_does_not_recall_a_fault_on_another_gpu_of_its_node_that_nobody_alerted_on()
    {
        var alerted = Topology.Gpus[Topology.GpuOffsets[4]].Id;
        var silent = Topology.Gpus[Topology.GpuOffsets[4] + 7].Id;
        var faults = new[] { GpuFault(alerted, Start.AddHours(1), null), GpuFault(silent, Start.AddHours(1), null) with { Id = "flt-7" } };

        var summary = Score(faults, [Raised(GpuAlert(alerted, Start.AddHours(1).AddSeconds(20)))]);

        Assert.Equal(1, summary.TruePositive);
        Assert.Equal(2, summary.PageWorthy);
        Assert.Equal(1, summary.Recalled);
        Assert.Contains(summary.Missed, m => m.StartsWith("flt-7 ", StringComparison.Ordinal));
    }

    [Fact]
    public void An_alert_that_starts_after_its_fault_ended_counts_only_within_the_slack()
    {
        var gpu = Topology.Gpus[3].Id;
        var fault = GpuFault(gpu, Start.AddHours(1), Start.AddHours(2));
        var slack = new AlertScoring().Slack;

        var within = Score([fault], [Raised(GpuAlert(gpu, Start.AddHours(2) + slack - TimeSpan.FromSeconds(1)))]);
        var beyond = Score([fault], [Raised(GpuAlert(gpu, Start.AddHours(2) + slack + TimeSpan.FromSeconds(1)))]);
        var before = Score([fault], [Raised(GpuAlert(gpu, Start.AddMinutes(30)))]);

        Assert.Equal(1, within.TruePositive);
        Assert.Equal(0, beyond.TruePositive);
        Assert.Equal(0, before.TruePositive);
    }

    [Fact]
    public void A_switch_alert_recalls_the_fatal_port_fault_below_it()
    {
        var leaf = Topology.Switches.First(s => s.Tier == Fleet.Topology.SwitchTier.Leaf);
        var node = Topology.Nodes[Topology.NodesUnderSwitch(leaf.Id)[0]].Id;
        var port = new InjectedFault(
            "flt-3", FaultKind.LinkDown, FaultCause.NetworkSwitchOrCable, FaultScope.Port, node.Value + "/mlx5_0", Start.AddHours(1), null, true, null,
            [], [node], [], null, true);
        var alert = new Alert(
            new Dictionary<string, string>
            {
                ["alertname"] = HealthAlertNames.SwitchDown,
                [HealthAlertNames.SwitchLabel] = leaf.Id.Value,
                [IncidentLabels.Diagnosis] = "dgn-sw",
                [IncidentLabels.Severity] = "critical",
            },
            Start.AddHours(1).AddMinutes(1));

        var summary = Score([port], [Raised(alert)]);

        Assert.Equal(1, summary.Recalled);
        Assert.Equal(0, summary.TruePositive); // the switch itself was fine: the alert blamed the wrong part
    }

    [Fact]
    public void A_node_down_alert_recalls_the_fatal_fault_of_one_of_its_gpus()
    {
        var gpu = Topology.Gpus[Topology.GpuOffsets[7] + 2].Id;
        var fault = GpuFault(gpu, Start.AddHours(3), null);
        var alert = new Alert(
            new Dictionary<string, string>
            {
                ["alertname"] = HealthAlertNames.NodeDown,
                [IncidentLabels.Node] = gpu.Node.Value,
                [IncidentLabels.Diagnosis] = "dgn-node",
                [IncidentLabels.Severity] = "page",
            },
            Start.AddHours(3).AddSeconds(30));

        var summary = Score([fault], [Raised(alert)]);

        Assert.Equal(1.0, summary.Recall);
        Assert.Equal(1, summary.TruePositive);
    }

    [Fact]
    public void Faults_too_recent_to_judge_and_non_fatal_faults_are_not_page_worthy()
    {
        var gpu = Topology.Gpus[3].Id;
        var recent = GpuFault(gpu, End - TimeSpan.FromMinutes(5), null);
        var slow = GpuFault(Topology.Gpus[9].Id, Start.AddHours(1), null) with { Fatal = false, Kind = FaultKind.Straggler };

        var summary = Score([recent, slow], []);

        Assert.Equal(0, summary.PageWorthy);
        Assert.Equal(1.0, summary.Recall);
        Assert.Equal(1.0, summary.Precision);
    }

    [Fact]
    public void An_slo_alert_is_true_only_when_the_recorded_events_burn_both_of_its_windows()
    {
        var slo = JobSuccess();
        // Two quiet hours, then every attempt fails for twenty minutes.
        for (var t = Start; t < Start.AddHours(2); t += TimeSpan.FromMinutes(1))
        {
            slo.Record(t, new WindowCounts(0, 100));
        }

        for (var t = Start.AddHours(2); t < Start.AddHours(2).AddMinutes(20); t += TimeSpan.FromMinutes(1))
        {
            slo.Record(t, new WindowCounts(100, 100));
        }

        var burning = SloAlert(slo, "1h", Start.AddHours(2).AddMinutes(15));
        var quiet = SloAlert(slo, "1h", Start.AddHours(1));

        var summary = Score([], [Raised(burning), Raised(quiet)], [slo], Start.AddHours(2).AddMinutes(20) + TimeSpan.FromHours(1));

        Assert.Equal(2, summary.Raised);
        Assert.Equal(1, summary.TruePositive);
        Assert.Contains(summary.FalsePositives, f => f.Contains(Start.AddHours(1).ToString("O"), StringComparison.Ordinal));
        Assert.Equal(1, summary.SloPageBreaches);
        Assert.Equal(1.0, summary.Recall);
    }

    [Fact]
    public void A_window_longer_than_the_recorded_history_does_not_burn()
    {
        var slo = JobSuccess();
        for (var t = Start; t < Start.AddMinutes(30); t += TimeSpan.FromMinutes(1))
        {
            slo.Record(t, new WindowCounts(100, 100));
        }

        var hour = slo.Evaluator.Windows[0];

        Assert.False(slo.Burns(hour, Start.AddMinutes(20)));
        Assert.Equal(0, Score([], [], [slo], Start.AddHours(3)).SloPageBreaches);
    }

    [Fact]
    public void A_page_level_burn_that_no_alert_covers_is_a_missed_page_worthy_event()
    {
        var slo = JobSuccess();
        for (var t = Start; t < Start.AddHours(1); t += TimeSpan.FromMinutes(1))
        {
            slo.Record(t, new WindowCounts(0, 100));
        }

        for (var t = Start.AddHours(1); t < Start.AddHours(1).AddMinutes(30); t += TimeSpan.FromMinutes(1))
        {
            slo.Record(t, new WindowCounts(100, 100));
        }

        var summary = Score([], [], [slo], Start.AddHours(3));

        Assert.Equal(1, summary.PageWorthy);
        Assert.Equal(0, summary.Recalled);
        Assert.Contains(summary.Missed, m => m.Contains("job-success", StringComparison.Ordinal));
    }

    [Fact]
    public void Incidents_per_fault_is_incidents_caused_by_faults_over_the_distinct_faults_behind_them()
    {
        var gpu = Topology.Gpus[3].Id;
        var other = Topology.Gpus[Topology.GpuOffsets[9]].Id;
        var faults = new[] { GpuFault(gpu, Start.AddHours(1), Start.AddHours(3)), GpuFault(other, Start.AddHours(1), Start.AddHours(3)) with { Id = "flt-9" } };
        // The same fault alerts twice, an hour apart: the first incident was resolved in between, so it opens a second.
        var first = GpuAlert(gpu, Start.AddHours(1).AddSeconds(20), "dgn-a");
        var second = GpuAlert(gpu, Start.AddHours(2), "dgn-b");
        var third = GpuAlert(other, Start.AddHours(1).AddSeconds(20), "dgn-c");
        var tracker = new IncidentTracker();
        var opened = tracker.Raise([first], first.StartsAt.AddSeconds(30));
        tracker.Acknowledge(opened.Id, first.StartsAt.AddMinutes(1), "test");
        tracker.Resolve(opened.Id, first.StartsAt.AddMinutes(30), "test");
        tracker.Raise([second], second.StartsAt.AddSeconds(30));
        tracker.Raise([third], third.StartsAt.AddSeconds(30));

        var summary = Score(faults, [Raised(first), Raised(second), Raised(third)], incidents: tracker.Incidents);

        Assert.Equal(3, summary.Incidents);
        Assert.Equal(2, summary.FaultsWithIncident);
        Assert.Equal(1.5, summary.IncidentsPerFault);
        Assert.Single(summary.SplitFaults);
    }

    [Property(MaxTest = 200)]
    public void An_alert_on_the_faulty_gpu_is_true_exactly_when_it_starts_between_onset_and_repair_plus_slack(PositiveInt lastsMinutes, int offsetSeconds)
    {
        var gpu = Topology.Gpus[11].Id;
        var onset = Start.AddHours(1);
        var cleared = onset + TimeSpan.FromMinutes(lastsMinutes.Get % 600);
        var at = onset + TimeSpan.FromSeconds(offsetSeconds % 50_000);
        var scoring = new AlertScoring();

        var summary = Score([GpuFault(gpu, onset, cleared)], [Raised(GpuAlert(gpu, at))]);

        bool expected = at <= cleared + scoring.Slack && at >= onset - scoring.Tolerance;
        Assert.Equal(expected ? 1 : 0, summary.TruePositive);
        Assert.InRange(summary.Precision, 0, 1);
        Assert.InRange(summary.Recall, 0, 1);
    }

    private static AlertSummary Score(
        IReadOnlyList<InjectedFault> faults, IReadOnlyList<RaisedAlert> raised, IReadOnlyList<TwinSlo>? slos = null, DateTimeOffset? end = null,
        IReadOnlyList<Incident>? incidents = null) =>
        new AlertScorer(Topology).Score(
            faults, raised, incidents ?? [], slos ?? [], _ => [], new Dictionary<string, string>(), Start, end ?? End);

    private static InjectedFault GpuFault(GpuId gpu, DateTimeOffset onset, DateTimeOffset? cleared) =>
        new("flt-1", FaultKind.Xid, FaultCause.FaultyGpu, FaultScope.Gpu, gpu.Value, onset, cleared, true, 79, [gpu], [gpu.Node], [], null, true);

    private static Alert GpuAlert(GpuId gpu, DateTimeOffset at, string diagnosis = "dgn-1") => new(
        new Dictionary<string, string>
        {
            ["alertname"] = HealthAlertNames.GpuFault,
            [TopologyCorrelation.GpuLabel] = gpu.Value,
            [IncidentLabels.Node] = gpu.Node.Value,
            [IncidentLabels.Diagnosis] = diagnosis,
            [IncidentLabels.Severity] = "warning",
        },
        at);

    private static RaisedAlert Raised(Alert alert) => new(alert, alert.StartsAt.AddSeconds(30));

    private static TwinSlo JobSuccess()
    {
        var spec = Assert.Single(SloManifestReader.Parse("""
            apiVersion: neocloud.dev/v1
            kind: SLO
            metadata:
              name: job-success
            spec:
              service: gpu-jobs
              indicator:
                spec:
                  ratioMetric:
                    counter: true
                    bad: sum(rate(bad[{{.window}}]))
                    total: sum(rate(total[{{.window}}]))
              timeWindow:
                - duration: 30d
                  isRolling: true
              budgetingMethod: Occurrences
              objectives:
                - target: 0.99
            """));
        return new TwinSlo(spec, spec.Objectives[0], TwinIndicators.IndexOf(spec.Name));
    }

    private static Alert SloAlert(TwinSlo slo, string window, DateTimeOffset at) => new(
        new Dictionary<string, string>
        {
            ["alertname"] = RuleNames.PageAlert,
            [IncidentLabels.Severity] = "page",
            [RuleNames.SloLabel] = slo.Name,
            [RuleNames.ServiceLabel] = slo.Evaluator.Slo.Service,
            [RuleNames.ObjectiveLabel] = slo.Evaluator.Objective.Name,
            [RuleNames.WindowLabel] = window,
        },
        at);
}

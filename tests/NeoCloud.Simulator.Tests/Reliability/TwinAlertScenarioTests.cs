using NeoCloud.Fleet.Topology;
using NeoCloud.Reliability.Incidents;
using NeoCloud.Reliability.Operations;
using NeoCloud.Reliability.Sources;
using NeoCloud.Simulator.Faults;
using NeoCloud.Simulator.Reliability;
using NeoCloud.Simulator.Simulation;
using NeoCloud.Simulator.Tests.SelfHealing;
using NeoCloud.Simulator.Twin;

namespace NeoCloud.Simulator.Tests.Reliability;

/// <summary>
/// Alerts and incidents on the twin, end to end: faults injected into the 64-node scenario fleet go through detection,
/// diagnosis and remediation, become alerts, notifications and incidents, and are scored against the ground truth.
/// </summary>
public sealed class TwinAlertScenarioTests
{
    [Fact]
    public void A_fatal_xid_is_one_incident_that_automation_acknowledges_mitigates_and_resolves_detected_within_a_minute()
    {
        var (twin, loop) = ScenarioFleet.Start();
        int gpu = BusyGpu(twin);
        string gpuId = twin.Topology.Gpus[gpu].Id.Value;

        twin.Inject(new FaultRequest(FaultKind.Xid, gpuId, Xid: 79));
        loop.RunFor(TimeSpan.FromMinutes(60), CancellationToken.None);

        var incident = Assert.Single(loop.Reliability.Engine.Incidents.Incidents);
        Assert.Equal(IncidentStatus.Resolved, incident.Status);
        Assert.Contains(incident.Timeline, e => e.Kind == IncidentEventKind.Acknowledged && e.Actor == ReliabilityEngine.RemediationActor);
        Assert.Contains(incident.Timeline, e => e.Kind == IncidentEventKind.Mitigated && e.Actor == ReliabilityEngine.RemediationActor);
        Assert.NotEmpty(incident.RemediationRunIds);
        Assert.True(incident.AcknowledgedAt <= incident.MitigatedAt && incident.MitigatedAt <= incident.ResolvedAt);

        var fault = Assert.Single(twin.GroundTruth);
        Assert.True(incident.OpenedAt - fault.OnsetAt < TimeSpan.FromSeconds(60), $"opened {incident.OpenedAt - fault.OnsetAt} after the fault");
        Assert.True(incident.TimeToDetect < TimeSpan.FromSeconds(60));

        var alerts = loop.SummarizeAlerts();
        Assert.Equal(1, alerts.Incidents);
        Assert.Equal(alerts.Raised, alerts.TruePositive);
        Assert.Equal(1, alerts.PageWorthy);
        Assert.Equal(1.0, alerts.Recall);
        Assert.Equal(1.0, alerts.IncidentsPerFault);
        Assert.Contains(loop.Reliability.Raised, r => r.Alert[HealthAlertNames.CodeLabel] == "XID-79");
    }

    [Fact]
    public void A_leaf_switch_failure_is_one_incident_for_the_switch_not_one_per_node()
    {
        var (twin, loop) = ScenarioFleet.Start();
        var leaf = twin.Topology.Switches.First(s => s.Tier == SwitchTier.Leaf);

        twin.Inject(new FaultRequest(FaultKind.SwitchDown, leaf.Id.Value));
        loop.RunFor(TimeSpan.FromMinutes(70), CancellationToken.None);

        var incidents = loop.Reliability.Engine.Incidents.Incidents;
        var incident = Assert.Single(incidents, i => i.CorrelationKeys.Contains("switch=" + leaf.Id.Value));
        Assert.DoesNotContain(incidents, i => i != incident && i.AffectedNodes.Count > 0 && !i.AffectedSlos.Any());
        Assert.Contains(leaf.Id.Value, incident.ProbableRootCause + " " + incident.Title);

        var alerts = loop.SummarizeAlerts();
        Assert.Equal(1, alerts.FaultsWithIncident);
        Assert.Equal(1.0, alerts.IncidentsPerFault);
        Assert.Equal(alerts.Raised, alerts.TruePositive);
        Assert.Equal(alerts.PageWorthy, alerts.Recalled);
    }

    [Fact]
    public void Twelve_hours_of_a_fault_storm_keep_alert_precision_at_95_percent_and_recall_at_99_percent()
    {
        var options = ScenarioFleet.Options() with { RandomFaults = true, FaultRateMultiplier = 400 };
        var summary = FleetSimulation.RunSelfHealing(ScenarioFleet.Fleet, 11, TimeSpan.FromHours(12), options, null, null, CancellationToken.None);
        var alerts = Assert.IsType<AlertSummary>(summary.Alerts);

        Assert.True(alerts.Raised >= 50, $"only {alerts.Raised} alerts raised");
        Assert.True(alerts.PageWorthy >= 20, $"only {alerts.PageWorthy} page-worthy events");
        Assert.True(alerts.Precision >= 0.95, $"precision {alerts.Precision}: {string.Join(" | ", alerts.FalsePositives)}");
        Assert.True(alerts.Recall >= 0.99, $"recall {alerts.Recall}: {string.Join(" | ", alerts.Missed)}");
        Assert.InRange(alerts.IncidentsPerFault, 0.8, 1.2);
        Assert.Contains(alerts.BySeverity.Keys, k => k is "sev1" or "sev2" or "sev3");
    }

    private static int BusyGpu(FleetTwin twin)
    {
        for (int g = 0; g < twin.Topology.GpuCount; g++)
        {
            if (twin.Synthetic.JobOf(g) is { NodeCount: 1 })
            {
                return g;
            }
        }

        throw new InvalidOperationException("No single-node job is running.");
    }
}

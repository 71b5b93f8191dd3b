using NeoCloud.Reliability.Incidents;
using static NeoCloud.Reliability.Tests.Incidents.IncidentScenario;

namespace NeoCloud.Reliability.Tests.Incidents;

public sealed class PostIncidentSummaryTests
{
    private static string Summary()
    {
        var tracker = new IncidentTracker();
        var incident = tracker.Raise([NodeDown(1, "sw-4", "r-1"), NodeDown(2, "sw-4", "r-1")], At(3));
        tracker.Acknowledge(incident.Id, At(5), "alice", "on it");
        tracker.LinkFinding(incident.Id, "fnd-11", At(6), "health");
        tracker.LinkRemediationRun(incident.Id, "run-5", At(7), "health");
        tracker.Mitigate(incident.Id, At(20), "alice", "drained | cordoned");
        var resolved = tracker.Resolve(incident.Id, At(95), "alice", "replaced the switch", rootCause: "sw-4 power supply failed");
        return PostIncidentSummary.Write(resolved);
    }

    [Fact]
    public void The_summary_lists_the_timeline_in_order_with_actors_and_notes()
    {
        string summary = Summary();

        Assert.Contains("# INC-0001: node-down on switch sw-4", summary, StringComparison.Ordinal);
        Assert.Contains("| 2026-11-23 12:05:00 | acknowledged | alice | on it |", summary, StringComparison.Ordinal);
        Assert.Contains(@"| 2026-11-23 12:20:00 | mitigated | alice | drained \| cordoned |", summary, StringComparison.Ordinal);
        Assert.True(summary.IndexOf("| opened |", StringComparison.Ordinal) < summary.IndexOf("| resolved |", StringComparison.Ordinal));
    }

    [Fact]
    public void The_summary_states_impact_root_cause_links_and_durations()
    {
        string summary = Summary();

        Assert.Contains("- Severity: sev2", summary, StringComparison.Ordinal);
        Assert.Contains("- Tenants: acme, globex", summary, StringComparison.Ordinal);
        Assert.Contains("- Nodes: n001, n002", summary, StringComparison.Ordinal);
        Assert.Contains("## Root cause\n\nsw-4 power supply failed", summary, StringComparison.Ordinal);
        Assert.Contains("- Health findings: fnd-11", summary, StringComparison.Ordinal);
        Assert.Contains("- Remediation runs: run-5", summary, StringComparison.Ordinal);
        Assert.Contains("- Time to detect (onset → opened): 3m 00s", summary, StringComparison.Ordinal);
        Assert.Contains("- Time to acknowledge (opened → acknowledged): 2m 00s", summary, StringComparison.Ordinal);
        Assert.Contains("- Time to mitigate (onset → mitigated): 20m 00s", summary, StringComparison.Ordinal);
        Assert.Contains("- Time to resolve (onset → resolved): 1h 35m 00s", summary, StringComparison.Ordinal);
    }
}

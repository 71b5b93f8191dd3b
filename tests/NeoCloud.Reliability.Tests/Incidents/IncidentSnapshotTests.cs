using System.Text.Json;
using NeoCloud.Reliability.Alerting;
using NeoCloud.Reliability.Incidents;
using NeoCloud.Reliability.Store;
using static NeoCloud.Reliability.Tests.Incidents.IncidentScenario;

namespace NeoCloud.Reliability.Tests.Incidents;

public sealed class IncidentSnapshotTests
{
    /// <summary>An incident that went through everything: alerts joined, severity raised, links, and the whole lifecycle.</summary>
    internal static Incident FullLifecycle()
    {
        var tracker = new IncidentTracker();
        var opened = tracker.Raise([NodeDown(1, "sw-1", "r-1", startMinute: 0), NodeDown(2, "sw-1", "r-1", startMinute: 1)], At(2));
        var sloAlert = Alert.Firing(
            At(-3),
            ("alertname", "SloBurnRate"),
            ("switch", "sw-1"),
            ("severity", "critical"),
            (IncidentLabels.Slo, "gpu-node-availability"),
            (IncidentLabels.Tenant, "initech"),
            (IncidentLabels.Finding, "fnd-0001"));
        tracker.Raise([sloAlert], At(4).ToOffset(TimeSpan.FromHours(2)));
        tracker.LinkFinding(opened.Id, "fnd-0002", At(5), "health");
        tracker.LinkRemediationRun(opened.Id, "run-0001", At(6), "health");
        tracker.Acknowledge(opened.Id, At(7).AddTicks(3), "alice", "on it | looking");
        tracker.Mitigate(opened.Id, At(20), "alice", "drained the switch\nand cordoned");
        return tracker.Resolve(opened.Id, At(95).ToOffset(TimeSpan.FromHours(-5)), "bob", "replaced the switch", rootCause: "switch sw-1 PSU failure ⚡");
    }

    [Fact]
    public void An_incident_with_its_whole_timeline_restores_exactly_from_its_snapshot()
    {
        var incident = FullLifecycle();

        var restored = Incident.FromSnapshot(incident.ToSnapshot());

        IncidentAssert.Same(incident, restored);
        Assert.Equal(IncidentStatus.Resolved, restored.Status);
        Assert.Equal(IncidentSeverity.Sev1, restored.Severity);
        Assert.Equal(7, restored.Timeline.Length);
        Assert.Equal(TimeSpan.FromHours(-5), restored.ResolvedAt!.Value.Offset);
    }

    [Fact]
    public void An_incident_restores_exactly_from_its_json_and_keeps_working()
    {
        var tracker = new IncidentTracker();
        var open = tracker.Raise([NodeDown(3, "sw-2", "r-2")], At(1));

        var restored = IncidentRecord.Read(IncidentRecord.Write(open), open.Id);

        IncidentAssert.Same(open, restored);
        var acknowledged = restored.Acknowledge(At(3), "carol");
        Assert.Equal(IncidentStatus.Acknowledged, acknowledged.Status);
        IncidentAssert.Same(FullLifecycle(), IncidentRecord.Read(IncidentRecord.Write(FullLifecycle()), "INC-0001"));
    }

    [Fact]
    public void The_json_names_fields_in_camel_case_and_enums_by_name()
    {
        using var json = JsonDocument.Parse(IncidentRecord.Write(FullLifecycle()));

        Assert.Equal("resolved", json.RootElement.GetProperty("status").GetString());
        Assert.Equal("sev1", json.RootElement.GetProperty("severity").GetString());
        Assert.Equal("acknowledged", json.RootElement.GetProperty("timeline")[4].GetProperty("kind").GetString());
        Assert.Equal(3, json.RootElement.GetProperty("alertFingerprints").GetArrayLength());
    }

    [Fact]
    public void A_stored_incident_record_is_listed_by_lower_case_status_and_severity_name()
    {
        var incident = FullLifecycle();

        var record = IncidentRecord.ToRecord(incident, 4);

        Assert.Equal(new StoredRecord(ReliabilityRecordKinds.Incident, "INC-0001", 4, "resolved", "sev1", At(2), incident.ResolvedAt!.Value, record.Body), record);
        IncidentAssert.Same(incident, IncidentRecord.FromRecord(record));
    }

    [Fact]
    public void A_snapshot_no_incident_could_produce_is_refused_with_every_problem_listed()
    {
        var good = FullLifecycle().ToSnapshot();
        var bad = good with
        {
            Status = IncidentStatus.Open,
            Timeline = [good.Timeline[0], good.Timeline[2] with { At = At(-10) }, .. good.Timeline.Skip(3)],
            AffectedTenants = null!,
        };

        var error = Assert.Throws<ArgumentException>(() => Incident.FromSnapshot(bad));

        Assert.Contains("INC-0001", error.Message, StringComparison.Ordinal);
        Assert.Contains("timeline event 1", error.Message, StringComparison.Ordinal);
        Assert.Contains("its status is Open but its timeline ends Resolved", error.Message, StringComparison.Ordinal);
        Assert.Contains("affectedTenants is missing", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => Incident.FromSnapshot(good with { Timeline = [] }));
        Assert.Throws<ArgumentException>(() => Incident.FromSnapshot(good with { Timeline = [.. good.Timeline.Skip(1)] }));
        Assert.Throws<ArgumentException>(() => Incident.FromSnapshot(good with { Onset = At(3) }));
        Assert.Throws<ArgumentException>(() => Incident.FromSnapshot(good with { Severity = (IncidentSeverity)7 }));
    }

    [Fact]
    public void A_damaged_or_foreign_record_is_an_error_naming_it()
    {
        var record = IncidentRecord.ToRecord(FullLifecycle(), 1);

        var damaged = Assert.Throws<InvalidDataException>(() => IncidentRecord.FromRecord(record with { Body = "{\"id\":\"INC-0001\"" }));
        var empty = Assert.Throws<InvalidDataException>(() => IncidentRecord.FromRecord(record with { Body = "{\"id\":\"INC-0001\",\"timeline\":[]}" }));
        var moved = Assert.Throws<InvalidDataException>(() => IncidentRecord.FromRecord(record with { Id = "INC-0009" }));

        Assert.Contains("INC-0001", damaged.Message, StringComparison.Ordinal);
        Assert.Contains("timeline is empty", empty.Message, StringComparison.Ordinal);
        Assert.Contains("INC-0009", moved.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => IncidentRecord.FromRecord(record with { Kind = ReliabilityRecordKinds.RunbookRun }));
    }
}

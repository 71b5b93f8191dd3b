using NeoCloud.Reliability.Incidents;
using NeoCloud.Reliability.Store;
using static NeoCloud.Reliability.Tests.Incidents.IncidentScenario;

namespace NeoCloud.Reliability.Tests.Incidents;

public sealed class IncidentTrackerRestoreTests
{
    [Fact]
    public async Task A_restarted_controller_keeps_numbering_and_joining_alerts_to_unresolved_incidents()
    {
        var store = new InMemoryReliabilityStore();
        var repository = new IncidentRepository(store);
        var before = new IncidentTracker();
        var switchDown = before.Raise([NodeDown(1, "sw-1", "r-1")], At(1));
        var fixedOne = before.Raise([NodeDown(2, "sw-2", "r-2")], At(2));
        before.Acknowledge(fixedOne.Id, At(3), "alice");
        before.Resolve(fixedOne.Id, At(4), "alice");
        foreach (var incident in before.Incidents)
        {
            await repository.SaveAsync(incident, 0);
        }

        var after = IncidentTracker.Restore((await repository.ListAllAsync()).Select(v => v.Incident));
        var joined = after.Raise([NodeDown(3, "sw-1", "r-1", startMinute: 5)], At(6));
        var reopened = after.Raise([NodeDown(4, "sw-2", "r-2", startMinute: 6)], At(7));

        Assert.Equal(switchDown.Id, joined.Id);
        Assert.Equal(2, joined.AlertFingerprints.Count);
        Assert.Equal("INC-0003", reopened.Id);
        Assert.Equal(["INC-0001", "INC-0002", "INC-0003"], after.Incidents.Select(i => i.Id));
        IncidentAssert.Same(before[fixedOne.Id], after[fixedOne.Id]);
        Assert.Equal([switchDown.Id, reopened.Id], after.Unresolved.Select(i => i.Id));
    }

    [Fact]
    public void Numbering_continues_after_the_highest_stored_id_whatever_order_they_come_in()
    {
        var before = new IncidentTracker();
        for (int i = 0; i < 11; i++)
        {
            before.Raise([NodeDown(i, $"sw-{i}", $"r-{i}")], At(i));
        }

        // A gap (INC-0004 withdrawn) and another system's id: neither may confuse the sequence.
        var foreign = Incident.FromSnapshot(Opened().ToSnapshot() with { Id = "PD-77" });
        var stored = before.Incidents.Where(i => i.Id != "INC-0004").Append(foreign).Reverse().ToList();

        var after = IncidentTracker.Restore(stored);

        Assert.Equal("INC-0012", after.Raise([NodeDown(99, "sw-99", "r-99")], At(20)).Id);
        Assert.Equal(stored.Select(i => i.Id).Reverse().Append("INC-0012"), after.Incidents.Select(i => i.Id));
        Assert.Equal("PD-77", after.Incidents[^2].Id);
    }

    [Fact]
    public void An_empty_store_restores_a_tracker_that_starts_at_one()
    {
        var tracker = IncidentTracker.Restore([]);

        Assert.Equal("INC-0001", tracker.Raise([NodeDown(1, "sw-1", "r-1")], At(1)).Id);
    }

    [Fact]
    public void An_incident_given_twice_is_refused_by_id()
    {
        var incident = Opened();

        var error = Assert.Throws<ArgumentException>(() => IncidentTracker.Restore([incident, incident]));

        Assert.Contains(incident.Id, error.Message, StringComparison.Ordinal);
    }
}

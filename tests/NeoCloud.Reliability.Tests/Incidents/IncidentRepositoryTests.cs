using NeoCloud.Kernel.Persistence;
using NeoCloud.Reliability.Incidents;
using NeoCloud.Reliability.Store;
using static NeoCloud.Reliability.Tests.Incidents.IncidentScenario;

namespace NeoCloud.Reliability.Tests.Incidents;

public sealed class IncidentRepositoryTests
{
    private readonly InMemoryReliabilityStore _store = new();
    private readonly IncidentRepository _repository;

    public IncidentRepositoryTests()
    {
        _repository = new IncidentRepository(_store);
    }

    [Fact]
    public async Task A_new_incident_is_saved_at_version_one_and_each_change_at_the_next()
    {
        var tracker = new IncidentTracker();
        var opened = tracker.Raise([NodeDown(1, "sw-1", "r-1")], At(2));

        var v1 = await _repository.SaveAsync(opened, expectedVersion: 0);
        var v2 = await _repository.SaveAsync(tracker.Acknowledge(opened.Id, At(3), "alice"), v1.Version);

        Assert.Equal(1, v1.Version);
        Assert.Equal(2, v2.Version);
        var read = await _repository.GetAsync(opened.Id);
        Assert.Equal(2, read!.Version);
        IncidentAssert.Same(tracker[opened.Id], read.Incident);
        var record = await _store.GetAsync(ReliabilityRecordKinds.Incident, opened.Id, default);
        Assert.Equal(("acknowledged", "sev2"), (record!.Status, record.Label));
        Assert.Null(await _repository.GetAsync("INC-9999"));
    }

    [Fact]
    public async Task A_save_retried_after_a_lost_reply_succeeds_again_without_a_new_version()
    {
        var tracker = new IncidentTracker();
        var opened = tracker.Raise([NodeDown(1, "sw-1", "r-1")], At(2));
        await _repository.SaveAsync(opened, 0);
        var createdAgain = await _repository.SaveAsync(opened, 0);
        var acknowledged = tracker.Acknowledge(opened.Id, At(3), "alice");
        await _repository.SaveAsync(acknowledged, 1);

        var updatedAgain = await _repository.SaveAsync(acknowledged, 1);

        Assert.Equal(1, createdAgain.Version);
        Assert.Equal(2, updatedAgain.Version);
        Assert.Equal(2, (await _repository.GetAsync(opened.Id))!.Version);
        // The first save's retry is stale by now: the stored incident moved on, so it must not pass for a success.
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => _repository.SaveAsync(opened, 0));
    }

    [Fact]
    public async Task Two_controllers_advancing_one_incident_from_one_version_conflict()
    {
        var opened = new IncidentTracker().Raise([NodeDown(1, "sw-1", "r-1")], At(2));
        await _repository.SaveAsync(opened, 0);
        await _repository.SaveAsync(opened.Acknowledge(At(3), "alice"), 1);

        var error = await Assert.ThrowsAsync<ConcurrencyConflictException>(() => _repository.SaveAsync(opened.Acknowledge(At(4), "bob"), 1));
        var otherCreate = await Assert.ThrowsAsync<ConcurrencyConflictException>(() => _repository.SaveAsync(opened.Acknowledge(At(4), "bob"), 0));

        Assert.Contains(opened.Id, error.Message, StringComparison.Ordinal);
        Assert.Contains(opened.Id, otherCreate.Message, StringComparison.Ordinal);
        Assert.Equal("alice", (await _repository.GetAsync(opened.Id))!.Incident.Timeline[^1].Actor);
        var other = new IncidentTracker();
        other.Raise([NodeDown(8, "sw-8", "r-8")], At(1));
        var neverSaved = other.Raise([NodeDown(9, "sw-9", "r-9")], At(1));
        await Assert.ThrowsAsync<KeyNotFoundException>(() => _repository.SaveAsync(neverSaved, 3));
    }

    [Fact]
    public async Task Incidents_list_newest_first_by_status_severity_and_opening_time_page_by_page()
    {
        var tracker = new IncidentTracker();
        for (int i = 0; i < 12; i++)
        {
            var incident = tracker.Raise([NodeDown(i, $"sw-{i}", $"r-{i}", startMinute: i, severity: i % 3 == 0 ? "critical" : "page")], At(i + 1));
            if (i % 4 == 0)
            {
                tracker.Acknowledge(incident.Id, At(i + 2), "alice");
            }

            await _repository.SaveAsync(tracker[incident.Id], 0);
        }

        var all = await _repository.ListAllAsync();
        var acknowledgedSev1 = await ListIdsAsync(IncidentStatus.Acknowledged, IncidentSeverity.Sev1, null);
        var openSince = await ListIdsAsync(IncidentStatus.Open, null, At(9));

        Assert.Equal(tracker.Incidents.Select(i => i.Id).Reverse(), all.Select(v => v.Incident.Id));
        Assert.Equal(["INC-0001"], acknowledgedSev1);
        Assert.Equal(["INC-0012", "INC-0011", "INC-0010"], openSince);
        Assert.Empty(await ListIdsAsync(IncidentStatus.Resolved, null, null));
    }

    private async Task<List<string>> ListIdsAsync(IncidentStatus? status, IncidentSeverity? severity, DateTimeOffset? since)
    {
        var ids = new List<string>();
        string? cursor = null;
        do
        {
            var page = await _repository.ListAsync(status, severity, since, limit: 1, cursor);
            ids.AddRange(page.Items.Select(v => v.Incident.Id));
            cursor = page.NextCursor;
        }
        while (cursor is not null);

        return ids;
    }
}

using NeoCloud.Server.Tests.Fakes;
using NeoCloud.Access.Audit;
using NeoCloud.Access.Relay;
using NeoCloud.Access.Tests.Fakes;
using NeoCloud.Fleet.Lifecycle;
using NeoCloud.Kernel.Audit;

namespace NeoCloud.Access.Tests.Relay;

public sealed class LifecycleAuditRelayTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);

    private readonly TransitionLogFleetStore _fleet = new();
    private readonly InMemoryAuditStore _audit = new();

    [Fact]
    public async Task Every_transition_becomes_one_audit_entry_named_as_the_commands_name_it()
    {
        _fleet.Commit(LifecycleActions.Node, Transition("node-1", LifecycleState.Available, LifecycleState.Cordoned, "person:ana"));
        _fleet.Commit(LifecycleActions.Gpu, Transition("node-1/gpu3", LifecycleState.Available, LifecycleState.Quarantined, "agent:doctor"));
        _fleet.Commit(LifecycleActions.Node, Transition("node-1", LifecycleState.Cordoned, LifecycleState.Available, "bob"));

        int relayed = await new LifecycleAuditRelay(_fleet, _audit).RelayAsync(default);

        Assert.Equal(3, relayed);
        var records = _audit.Records;
        Assert.Equal(["node.cordon", "gpu.transition.quarantined", "node.uncordon"], records.Select(r => r.Action));
        Assert.Equal(["fleet.transition:1", "fleet.transition:2", "fleet.transition:3"], records.Select(r => r.SourceId));
        Assert.Equal([Actor.Person("ana"), Actor.Agent("doctor"), Actor.Person("bob")], records.Select(r => r.Actor));
        var gpu = records[1];
        Assert.Equal(("node-1/gpu3", "available", "quarantined", "why not", T0), (gpu.Target, gpu.Before, gpu.After, gpu.Reason, gpu.At));
        Assert.Null(AuditChain.FirstBroken(records));
    }

    [Fact]
    public async Task Running_the_relay_twice_audits_each_transition_once()
    {
        _fleet.Commit(LifecycleActions.Node, Transition("node-1", LifecycleState.Available, LifecycleState.Cordoned));
        var relay = new LifecycleAuditRelay(_fleet, _audit);

        Assert.Equal(1, await relay.RelayAsync(default));
        Assert.Equal(0, await relay.RelayAsync(default));
        Assert.Equal(0, await new LifecycleAuditRelay(_fleet, _audit).RelayAsync(default));

        Assert.Single(_audit.Records);
    }

    [Fact]
    public async Task Concurrent_relays_audit_each_transition_exactly_once()
    {
        for (int i = 0; i < 50; i++)
        {
            _fleet.Commit(LifecycleActions.Node, Transition($"node-{i}", LifecycleState.Available, LifecycleState.Cordoned));
        }

        // Separate instances, as in separate processes: only the audit store's source-id rule keeps them from double-recording.
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => new LifecycleAuditRelay(_fleet, _audit).RelayAsync(default))));

        var records = _audit.Records;
        Assert.Equal(50, records.Count);
        Assert.Equal(50, records.Select(r => r.SourceId).Distinct().Count());
        Assert.Null(AuditChain.FirstBroken(records));
    }

    [Fact]
    public async Task A_transition_committed_before_a_crash_is_audited_by_the_next_run()
    {
        var relay = new LifecycleAuditRelay(_fleet, _audit);
        _fleet.Commit(LifecycleActions.Node, Transition("node-1", LifecycleState.Available, LifecycleState.Cordoned));
        await relay.RelayAsync(default);

        // The process dies after the fleet store commits and before any relay runs.
        _fleet.Commit(LifecycleActions.Node, Transition("node-1", LifecycleState.Cordoned, LifecycleState.Draining));

        int relayed = await new LifecycleAuditRelay(_fleet, _audit).RelayAsync(default);

        Assert.Equal(1, relayed);
        Assert.Equal(["node.cordon", "node.transition.draining"], _audit.Records.Select(r => r.Action));
    }

    [Fact]
    public async Task A_backlog_longer_than_one_batch_is_relayed_until_caught_up()
    {
        for (int i = 0; i < 1234; i++)
        {
            _fleet.Commit(LifecycleActions.Gpu, Transition($"node-{i}/gpu0", LifecycleState.Available, LifecycleState.Quarantined));
        }

        Assert.Equal(1234, await new LifecycleAuditRelay(_fleet, _audit).RelayAsync(default));
        Assert.Equal(1234, await _audit.LastSourceSequenceAsync(LifecycleAuditRelay.Stream, default));
    }

    private static LifecycleTransition Transition(string subject, LifecycleState from, LifecycleState to, string actor = "automation:tests") =>
        new(subject, from, to, actor, "why not", T0);
}

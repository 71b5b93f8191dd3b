using System.Collections.Frozen;

namespace NeoCloud.Fleet.Lifecycle;

/// <summary>An explicit state machine: the only transitions a node or GPU may take.</summary>
public sealed class LifecycleMachine
{
    private readonly FrozenDictionary<LifecycleState, FrozenSet<LifecycleState>> _legal;

    private LifecycleMachine(string subject, Dictionary<LifecycleState, LifecycleState[]> legal)
    {
        Subject = subject;
        _legal = legal.ToFrozenDictionary(kv => kv.Key, kv => kv.Value.ToFrozenSet());
    }

    /// <summary>Nodes: provisioning → burn-in → available ⇄ cordoned → draining → quarantined → repair → rma → decommissioned, back to service after repair.</summary>
    public static LifecycleMachine Node { get; } = new("node", new()
    {
        [LifecycleState.Provisioning] = [LifecycleState.BurnIn, LifecycleState.Decommissioned],
        [LifecycleState.BurnIn] = [LifecycleState.Available, LifecycleState.Repair, LifecycleState.Rma],
        [LifecycleState.Available] = [LifecycleState.Cordoned, LifecycleState.Draining, LifecycleState.Quarantined, LifecycleState.Decommissioned],
        [LifecycleState.Cordoned] = [LifecycleState.Available, LifecycleState.Draining, LifecycleState.Quarantined, LifecycleState.Repair, LifecycleState.Decommissioned],
        // A drain can be cancelled (back to cordoned or available) or end in quarantine or repair.
        [LifecycleState.Draining] = [LifecycleState.Cordoned, LifecycleState.Available, LifecycleState.Quarantined, LifecycleState.Repair],
        [LifecycleState.Quarantined] = [LifecycleState.Cordoned, LifecycleState.Repair, LifecycleState.Rma],
        // Repair ends in burn-in (verify), straight back to service after a light fix, or RMA.
        [LifecycleState.Repair] = [LifecycleState.BurnIn, LifecycleState.Available, LifecycleState.Rma],
        // Replaced hardware comes back through burn-in; otherwise it is retired.
        [LifecycleState.Rma] = [LifecycleState.BurnIn, LifecycleState.Decommissioned],
        [LifecycleState.Decommissioned] = [],
    });

    /// <summary>GPUs: a GPU is quarantined, repaired or returned on its own while its node keeps serving the others.</summary>
    public static LifecycleMachine Gpu { get; } = new("gpu", new()
    {
        [LifecycleState.Provisioning] = [LifecycleState.BurnIn],
        [LifecycleState.BurnIn] = [LifecycleState.Available, LifecycleState.Repair, LifecycleState.Rma],
        [LifecycleState.Available] = [LifecycleState.Cordoned, LifecycleState.Quarantined, LifecycleState.Decommissioned],
        [LifecycleState.Cordoned] = [LifecycleState.Available, LifecycleState.Quarantined, LifecycleState.Repair],
        [LifecycleState.Draining] = [LifecycleState.Quarantined, LifecycleState.Cordoned],
        [LifecycleState.Quarantined] = [LifecycleState.Cordoned, LifecycleState.Repair, LifecycleState.Rma],
        [LifecycleState.Repair] = [LifecycleState.BurnIn, LifecycleState.Available, LifecycleState.Rma],
        [LifecycleState.Rma] = [LifecycleState.BurnIn, LifecycleState.Decommissioned],
        [LifecycleState.Decommissioned] = [],
    });

    public string Subject { get; }

    public bool CanTransition(LifecycleState from, LifecycleState to) =>
        _legal.TryGetValue(from, out var next) && next.Contains(to);

    public IReadOnlyCollection<LifecycleState> NextStates(LifecycleState from) =>
        _legal.TryGetValue(from, out var next) ? next : [];

    /// <summary>Checks a transition and returns its record; throws <see cref="IllegalTransitionException"/> if it is not allowed.</summary>
    public LifecycleTransition Transition(string subjectId, LifecycleState from, LifecycleState to, string actor, string reason, DateTimeOffset at)
    {
        if (!CanTransition(from, to))
        {
            throw new IllegalTransitionException(Subject, subjectId, from, to, NextStates(from));
        }

        if (string.IsNullOrWhiteSpace(reason))
        {
            throw new ArgumentException("Every lifecycle transition needs a reason.", nameof(reason));
        }

        return new LifecycleTransition(subjectId, from, to, actor, reason, at);
    }
}

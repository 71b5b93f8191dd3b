using NeoCloud.Fleet.Commands;
using NeoCloud.Fleet.Lifecycle;
using NeoCloud.Fleet.Store;
using NeoCloud.Health.Remediation;
using NeoCloud.Kernel.Audit;
using NeoCloud.Kernel.Ids;
using NeoCloud.Workloads.Control;

namespace NeoCloud.Server.Health;

/// <summary>
/// Remediation's hands on the Fleet context: every fence, release and retirement is a recorded lifecycle transition
/// (audited by the lifecycle relay) made by <see cref="Actor"/>, walking only the state machine's legal edges. The job
/// controller's placement is told at once too (a fenced node unschedulable, a quarantined GPU held), not at the
/// scheduler's next capacity refresh: a job evicted from faulty hardware must not be placed straight back on it.
/// </summary>
public sealed class FleetRemediationPort(NodeLifecycleService lifecycle, IFleetStore store, JobController? placement = null) : IRemediationFleet
{
    // Quarantined GPUs whose hold could not be taken yet because work still ran on them (taken once it is evicted).
    private readonly HashSet<GpuId> _pendingHolds = [];
    private readonly Lock _gate = new();

    /// <summary>Who the lifecycle history and audit log name for automatic changes.</summary>
    public static readonly Actor Actor = Actor.Automation("health-remediation");

    // A node or GPU already in one of these is out of service: fencing it again changes nothing.
    private static readonly LifecycleState[] OutOfService = [LifecycleState.Provisioning, LifecycleState.Cordoned, LifecycleState.Quarantined, LifecycleState.Repair, LifecycleState.Rma, LifecycleState.Decommissioned, LifecycleState.BurnIn];

    private static readonly LifecycleState[] GpuOutOfService = [LifecycleState.Provisioning, LifecycleState.BurnIn, LifecycleState.Quarantined, LifecycleState.Repair, LifecycleState.Rma, LifecycleState.Decommissioned];

    public async Task FenceAsync(IReadOnlyList<string> nodes, IReadOnlyList<string> gpus, string reason, CancellationToken cancellationToken)
    {
        foreach (string node in nodes)
        {
            await MoveNodeAsync(new NodeId(node), LifecycleState.Cordoned, OutOfService, reason, cancellationToken);
            await SchedulableAsync(new NodeId(node), false, cancellationToken);
        }

        foreach (string gpu in gpus)
        {
            await MoveGpuAsync(new GpuId(gpu), LifecycleState.Quarantined, GpuOutOfService, reason, cancellationToken);
            await HoldAsync(new GpuId(gpu), cancellationToken);
        }
    }

    /// <summary>Takes the holds of quarantined GPUs that were still busy when fenced (the mover calls this after each eviction).</summary>
    public async Task ReassertHoldsAsync(CancellationToken cancellationToken)
    {
        GpuId[] pending;
        lock (_gate)
        {
            pending = [.. _pendingHolds];
        }

        foreach (var gpu in pending)
        {
            await HoldAsync(gpu, cancellationToken);
        }
    }

    public async Task ReleaseAsync(IReadOnlyList<string> nodes, IReadOnlyList<string> gpus, string reason, CancellationToken cancellationToken)
    {
        foreach (string gpu in gpus)
        {
            await MoveGpuAsync(new GpuId(gpu), LifecycleState.Available, [LifecycleState.Available], reason, cancellationToken);
            lock (_gate)
            {
                _pendingHolds.Remove(new GpuId(gpu));
            }

            if (placement is not null)
            {
                await placement.HoldGpuAsync(new GpuId(gpu), hold: false, cancellationToken);
            }
        }

        foreach (string node in nodes)
        {
            await MoveNodeAsync(new NodeId(node), LifecycleState.Available, [LifecycleState.Available], reason, cancellationToken);
            await SchedulableAsync(new NodeId(node), true, cancellationToken);
        }
    }

    public async Task RetireAsync(IReadOnlyList<string> nodes, IReadOnlyList<string> gpus, string reason, CancellationToken cancellationToken)
    {
        foreach (string gpu in gpus)
        {
            await MoveGpuAsync(new GpuId(gpu), LifecycleState.Rma, [LifecycleState.Rma, LifecycleState.Decommissioned], reason, cancellationToken);
            await HoldAsync(new GpuId(gpu), cancellationToken);
        }

        foreach (string node in nodes)
        {
            await MoveNodeAsync(new NodeId(node), LifecycleState.Rma, [LifecycleState.Rma, LifecycleState.Decommissioned], reason, cancellationToken);
            await SchedulableAsync(new NodeId(node), false, cancellationToken);
        }
    }

    /// <summary>
    /// The shortest walk of legal transitions from <paramref name="from"/> to <paramref name="to"/> (excluding the start),
    /// never through decommissioned; null when there is none.
    /// </summary>
    public static IReadOnlyList<LifecycleState>? PathTo(LifecycleMachine machine, LifecycleState from, LifecycleState to)
    {
        ArgumentNullException.ThrowIfNull(machine);
        var previous = new Dictionary<LifecycleState, LifecycleState> { [from] = from };
        var queue = new Queue<LifecycleState>([from]);
        while (queue.Count > 0)
        {
            var state = queue.Dequeue();
            if (state == to)
            {
                var path = new List<LifecycleState>();
                for (var s = to; s != from; s = previous[s])
                {
                    path.Add(s);
                }

                path.Reverse();
                return path;
            }

            foreach (var next in machine.NextStates(state).Order())
            {
                if ((next != LifecycleState.Decommissioned || to == LifecycleState.Decommissioned) && previous.TryAdd(next, state))
                {
                    queue.Enqueue(next);
                }
            }
        }

        return null;
    }

    private async Task SchedulableAsync(NodeId node, bool schedulable, CancellationToken cancellationToken)
    {
        if (placement is not null)
        {
            await placement.SetSchedulableAsync(node, schedulable, cancellationToken);
        }
    }

    private async Task HoldAsync(GpuId gpu, CancellationToken cancellationToken)
    {
        if (placement is null)
        {
            return;
        }

        bool held = await placement.HoldGpuAsync(gpu, hold: true, cancellationToken);
        lock (_gate)
        {
            if (held)
            {
                _pendingHolds.Remove(gpu);
            }
            else
            {
                _pendingHolds.Add(gpu);
            }
        }
    }

    private async Task MoveNodeAsync(NodeId node, LifecycleState to, LifecycleState[] done, string reason, CancellationToken cancellationToken)
    {
        var state = (await store.GetNodeAsync(node, cancellationToken))?.State ?? throw new KeyNotFoundException($"No node '{node}'.");
        if (done.Contains(state))
        {
            return;
        }

        foreach (var step in PathTo(LifecycleMachine.Node, state, to) ?? throw new IllegalTransitionException("node", node.Value, state, to, LifecycleMachine.Node.NextStates(state)))
        {
            await lifecycle.TransitionAsync(node, step, Actor, reason, cancellationToken);
        }
    }

    private async Task MoveGpuAsync(GpuId gpu, LifecycleState to, LifecycleState[] done, string reason, CancellationToken cancellationToken)
    {
        var state = (await store.GetGpuAsync(gpu, cancellationToken))?.State ?? throw new KeyNotFoundException($"No GPU '{gpu}'.");
        if (done.Contains(state))
        {
            return;
        }

        foreach (var step in PathTo(LifecycleMachine.Gpu, state, to) ?? throw new IllegalTransitionException("gpu", gpu.Value, state, to, LifecycleMachine.Gpu.NextStates(state)))
        {
            await lifecycle.TransitionGpuAsync(gpu, step, Actor, reason, cancellationToken);
        }
    }
}

using NeoCloud.Fleet.Lifecycle;
using NeoCloud.Fleet.Store;
using NeoCloud.Fleet.Topology;
using NeoCloud.Kernel.Audit;
using NeoCloud.Kernel.Ids;
using NeoCloud.Kernel.Persistence;

namespace NeoCloud.Fleet.Commands;

/// <summary>
/// Lifecycle commands on nodes and GPUs (cordon, uncordon, any legal transition): checked and persisted with history.
/// The audit entry is not written here: the Access context relays each committed transition into the audit log.
/// </summary>
public sealed class NodeLifecycleService(IFleetStore store, TimeProvider clock)
{
    private const int MaxAttempts = 5;

    public Task<Node> CordonAsync(NodeId id, Actor actor, string reason, CancellationToken cancellationToken) =>
        TransitionAsync(id, LifecycleState.Cordoned, actor, reason, cancellationToken);

    public Task<Node> UncordonAsync(NodeId id, Actor actor, string reason, CancellationToken cancellationToken) =>
        TransitionAsync(id, LifecycleState.Available, actor, reason, cancellationToken);

    /// <summary>
    /// Moves a node to <paramref name="to"/>. Asking for the state it is already in changes nothing and succeeds,
    /// so a retried command is harmless. A concurrent change is retried against the fresh state.
    /// </summary>
    public Task<Node> TransitionAsync(NodeId id, LifecycleState to, Actor actor, string reason, CancellationToken cancellationToken) =>
        ApplyAsync<Node>(
            LifecycleActions.Node, id.Value, to, actor, reason, LifecycleMachine.Node,
            async ct => await store.GetNodeAsync(id, ct) is { } n ? (n, n.State) : ((Node, LifecycleState)?)null,
            (node, transition, ct) => store.ApplyNodeTransitionAsync(id, node.Version, transition, ct),
            cancellationToken);

    /// <summary>Moves one GPU to <paramref name="to"/> (quarantine a bad GPU while its node keeps serving the others); same rules as for nodes.</summary>
    public Task<Gpu> TransitionGpuAsync(GpuId id, LifecycleState to, Actor actor, string reason, CancellationToken cancellationToken) =>
        ApplyAsync<Gpu>(
            LifecycleActions.Gpu, id.Value, to, actor, reason, LifecycleMachine.Gpu,
            async ct => await store.GetGpuAsync(id, ct) is { } g ? (g, g.State) : ((Gpu, LifecycleState)?)null,
            (_, transition, ct) => store.ApplyGpuTransitionAsync(id, transition, ct),
            cancellationToken);

    private async Task<T> ApplyAsync<T>(
        string kind,
        string id,
        LifecycleState to,
        Actor actor,
        string reason,
        LifecycleMachine machine,
        Func<CancellationToken, Task<(T Subject, LifecycleState State)?>> read,
        Func<T, LifecycleTransition, CancellationToken, Task<T>> apply,
        CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(reason))
        {
            throw new ArgumentException("A reason is required: every lifecycle change is audited with why it was made.", nameof(reason));
        }

        for (int attempt = 1; ; attempt++)
        {
            var (subject, state) = await read(cancellationToken) ?? throw new KeyNotFoundException($"No {kind} '{id}'.");
            if (state == to)
            {
                return subject;
            }

            var transition = machine.Transition(id, state, to, actor.ToString(), reason, clock.GetUtcNow());
            try
            {
                return await apply(subject, transition, cancellationToken);
            }
            catch (ConcurrencyConflictException) when (attempt < MaxAttempts)
            {
                // Someone else moved it in between: re-read and decide again against its new state.
            }
        }
    }
}

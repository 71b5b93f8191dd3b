using NeoCloud.Fleet.Lifecycle;
using NeoCloud.Fleet.Store;
using NeoCloud.Fleet.Topology;
using NeoCloud.Kernel.Audit;
using NeoCloud.Kernel.Ids;
using NeoCloud.Kernel.Persistence;

namespace NeoCloud.Fleet.Commands;

/// <summary>Lifecycle commands on nodes (cordon, uncordon, any legal transition): checked, persisted with history, and audited.</summary>
public sealed class NodeLifecycleService(IFleetStore store, IAuditTrail audit, TimeProvider clock)
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
    public async Task<Node> TransitionAsync(NodeId id, LifecycleState to, Actor actor, string reason, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(reason))
        {
            throw new ArgumentException("A reason is required: every lifecycle change is audited with why it was made.", nameof(reason));
        }

        for (int attempt = 1; ; attempt++)
        {
            var node = await store.GetNodeAsync(id, cancellationToken)
                ?? throw new KeyNotFoundException($"No node '{id}'.");
            if (node.State == to)
            {
                return node;
            }

            var transition = LifecycleMachine.Node.Transition(id.Value, node.State, to, actor.ToString(), reason, clock.GetUtcNow());
            try
            {
                var updated = await store.ApplyNodeTransitionAsync(id, node.Version, transition, cancellationToken);
                await audit.RecordAsync(
                    new AuditEntry(transition.At, actor, $"node.{VerbFor(to)}", id.Value, reason, node.State.ToString(), to.ToString()),
                    cancellationToken);
                return updated;
            }
            catch (ConcurrencyConflictException) when (attempt < MaxAttempts)
            {
                // Someone else moved the node in between: re-read and decide again against its new state.
            }
        }
    }

    private static string VerbFor(LifecycleState to) => to switch
    {
        LifecycleState.Cordoned => "cordon",
        LifecycleState.Available => "uncordon",
        _ => "transition." + to.ToString().ToLowerInvariant(),
    };
}

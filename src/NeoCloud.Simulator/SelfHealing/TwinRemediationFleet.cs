using NeoCloud.Health.Remediation;
using NeoCloud.Kernel.Ids;
using NeoCloud.Simulator.Twin;

namespace NeoCloud.Simulator.SelfHealing;

/// <summary>
/// Remediation's fleet port over the twin, for the headless simulation: fencing cordons nodes and GPUs in the twin
/// (placement stops using them; the work on them goes on until drained), release lifts the fence, retirement keeps it.
/// A host does the same through the Fleet context's lifecycle commands.
/// </summary>
public sealed class TwinRemediationFleet(FleetTwin twin) : IRemediationFleet
{
    private readonly HashSet<int> _retiredNodes = [];
    private readonly HashSet<int> _retiredGpus = [];

    /// <summary>True when the node was sent to RMA: fenced, but no longer "in remediation".</summary>
    public bool IsRetired(int node) => _retiredNodes.Contains(node);

    public bool IsRetiredGpu(int gpu) => _retiredGpus.Contains(gpu);

    public Task FenceAsync(IReadOnlyList<string> nodes, IReadOnlyList<string> gpus, string reason, CancellationToken cancellationToken)
    {
        Set(nodes, gpus, fenced: true);
        return Task.CompletedTask;
    }

    public Task ReleaseAsync(IReadOnlyList<string> nodes, IReadOnlyList<string> gpus, string reason, CancellationToken cancellationToken)
    {
        Set(nodes, gpus, fenced: false);
        return Task.CompletedTask;
    }

    public Task RetireAsync(IReadOnlyList<string> nodes, IReadOnlyList<string> gpus, string reason, CancellationToken cancellationToken)
    {
        // Out for replacement: it stays fenced. The twin's replacement brings clean hardware back later; returning it
        // to service goes through burn-in, which is a person's call.
        Set(nodes, gpus, fenced: true, retire: true);
        return Task.CompletedTask;
    }

    private void Set(IReadOnlyList<string> nodes, IReadOnlyList<string> gpus, bool fenced, bool retire = false)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        ArgumentNullException.ThrowIfNull(gpus);
        var state = twin.State;
        lock (state.Gate)
        {
            foreach (string node in nodes)
            {
                int n = state.NodeIndex(new NodeId(node));
                state.NodeCordoned[n] = fenced;
                _ = retire ? _retiredNodes.Add(n) : _retiredNodes.Remove(n);
                state.RefreshNode(n);
            }

            foreach (string gpu in gpus)
            {
                int g = state.GpuIndex(new GpuId(gpu));
                state.GpuCordoned[g] = fenced;
                _ = retire ? _retiredGpus.Add(g) : _retiredGpus.Remove(g);
                state.RefreshNode(state.Gpus.NodeOf[g]);
            }
        }
    }
}

using NeoCloud.Health.Remediation;

namespace NeoCloud.Health.Tests.Fakes;

/// <summary>Work placed on GPUs by the test; records checkpoint signals and evictions (each eviction loses <see cref="LostPerEviction"/> GPU-hours).</summary>
internal sealed class FakeWorkloadMover : IWorkloadMover
{
    private readonly Dictionary<long, (WorkOnHardware Work, string[] Gpus)> _placed = [];

    public double LostPerEviction { get; set; } = 1.5;

    public List<string> Events { get; } = [];

    public WorkOnHardware Place(long key, params string[] gpus)
    {
        var work = new WorkOnHardware(key, $"job-{key}", gpus.Length, null);
        _placed[key] = (work, gpus);
        return work;
    }

    /// <summary>The work ends by itself (what allow-completion waits for).</summary>
    public void Finish(long key) => _placed.Remove(key);

    public bool IsRunning(long key) => _placed.ContainsKey(key);

    public Task<IReadOnlyList<WorkOnHardware>> WorkOnAsync(IReadOnlyList<string> nodes, IReadOnlyList<string> gpus, CancellationToken cancellationToken)
    {
        IReadOnlyList<WorkOnHardware> on =
        [
            .. _placed.Values
                .Where(p => p.Gpus.Any(g => gpus.Contains(g) || nodes.Any(n => g.StartsWith(n + "/", StringComparison.Ordinal))))
                .Select(p => p.Work),
        ];
        return Task.FromResult(on);
    }

    public Task SignalCheckpointAsync(WorkOnHardware work, CancellationToken cancellationToken)
    {
        Events.Add($"checkpoint {work.Name}");
        return Task.CompletedTask;
    }

    public Task<double> EvictAsync(WorkOnHardware work, string reason, CancellationToken cancellationToken)
    {
        Events.Add($"evict {work.Name}");
        return Task.FromResult(_placed.Remove(work.Work) ? LostPerEviction : 0);
    }
}

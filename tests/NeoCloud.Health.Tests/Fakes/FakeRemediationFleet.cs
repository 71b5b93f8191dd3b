using NeoCloud.Health.Remediation;

namespace NeoCloud.Health.Tests.Fakes;

/// <summary>Records fences, releases and retirements, and keeps what is fenced now.</summary>
internal sealed class FakeRemediationFleet : IRemediationFleet
{
    public List<string> Calls { get; } = [];

    public HashSet<string> Cordoned { get; } = new(StringComparer.Ordinal);

    public HashSet<string> Quarantined { get; } = new(StringComparer.Ordinal);

    public HashSet<string> Retired { get; } = new(StringComparer.Ordinal);

    public Task FenceAsync(IReadOnlyList<string> nodes, IReadOnlyList<string> gpus, string reason, CancellationToken cancellationToken)
    {
        Calls.Add(Describe("fence", nodes, gpus));
        Cordoned.UnionWith(nodes);
        Quarantined.UnionWith(gpus);
        return Task.CompletedTask;
    }

    public Task ReleaseAsync(IReadOnlyList<string> nodes, IReadOnlyList<string> gpus, string reason, CancellationToken cancellationToken)
    {
        Calls.Add(Describe("release", nodes, gpus));
        Cordoned.ExceptWith(nodes);
        Quarantined.ExceptWith(gpus);
        return Task.CompletedTask;
    }

    public Task RetireAsync(IReadOnlyList<string> nodes, IReadOnlyList<string> gpus, string reason, CancellationToken cancellationToken)
    {
        Calls.Add(Describe("retire", nodes, gpus));
        Cordoned.ExceptWith(nodes);
        Quarantined.ExceptWith(gpus);
        Retired.UnionWith(nodes);
        Retired.UnionWith(gpus);
        return Task.CompletedTask;
    }

    private static string Describe(string op, IReadOnlyList<string> nodes, IReadOnlyList<string> gpus) =>
        $"{op} nodes=[{string.Join(",", nodes)}] gpus=[{string.Join(",", gpus)}]";
}

using NeoCloud.Health.Remediation;

namespace NeoCloud.Simulator.SelfHealing;

/// <summary>The simulation's pager: keeps every page so the run can report who would have been woken, and why.</summary>
public sealed class RecordingPager : IPager
{
    private readonly List<OnCallPage> _pages = [];

    public IReadOnlyList<OnCallPage> Pages => _pages;

    public Task PageAsync(OnCallPage page, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(page);
        _pages.Add(page);
        return Task.CompletedTask;
    }
}

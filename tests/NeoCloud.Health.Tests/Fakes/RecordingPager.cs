using NeoCloud.Health.Remediation;

namespace NeoCloud.Health.Tests.Fakes;

/// <summary>Keeps the pages sent.</summary>
internal sealed class RecordingPager : IPager
{
    public List<OnCallPage> Pages { get; } = [];

    public Task PageAsync(OnCallPage page, CancellationToken cancellationToken)
    {
        Pages.Add(page);
        return Task.CompletedTask;
    }
}

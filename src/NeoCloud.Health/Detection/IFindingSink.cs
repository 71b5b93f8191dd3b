using NeoCloud.Health.Findings;

namespace NeoCloud.Health.Detection;

/// <summary>Where detectors put what they raise. Raising allocates (the finding and its evidence); observing without raising does not.</summary>
public interface IFindingSink
{
    void Raise(Finding finding);
}

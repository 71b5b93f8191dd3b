using NeoCloud.Fleet.Topology;
using NeoCloud.Health.Catalog;
using NeoCloud.Health.Signals;

namespace NeoCloud.Health.Detection;

/// <summary>
/// Runs every detector over each scrape round of a fleet (edge tier). State lives in flat arrays by dense index;
/// observing a round that raises nothing allocates nothing.
/// </summary>
public sealed class DetectionEngine
{
    public DetectionEngine(FleetTopology topology, FaultCatalog catalog, DetectionOptions options)
    {
        ArgumentNullException.ThrowIfNull(topology);
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(options);
        throw new NotImplementedException("slice: detection");
    }

    /// <summary>Observes one round; raises a finding per new episode into <paramref name="sink"/>.</summary>
    public void Observe(SignalFrame frame, IFindingSink sink) => throw new NotImplementedException("slice: detection");

    /// <summary>Turns a job's own report (collective timeout, numeric anomaly) into a finding.</summary>
    public void ObserveJobReport(JobReport report, IFindingSink sink) => throw new NotImplementedException("slice: detection");
}

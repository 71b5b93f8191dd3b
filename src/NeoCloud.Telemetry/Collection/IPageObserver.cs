using NeoCloud.Telemetry.Dcgm;
using NeoCloud.Telemetry.Exposition;

namespace NeoCloud.Telemetry.Collection;

/// <summary>
/// Sees every page the collector parsed, as it parsed it (health detection at the edge reads the same samples, with no
/// second scrape or parse). Calls come on the collector's loop, one round at a time, in this order: started, pages,
/// completed. What is passed is only valid during the call (the collector reuses its buffers): copy what you keep.
/// An observer that throws is logged and the round goes on.
/// </summary>
public interface IPageObserver
{
    /// <summary>A round begins; <paramref name="at"/> is the collector's clock at its start.</summary>
    void OnRoundStarted(DateTimeOffset at);

    /// <summary>One node's dcgm-exporter page, as readings (<paramref name="node"/> is the scrape target's node id).</summary>
    void OnDcgmPage(string node, IReadOnlyList<GpuReading> readings);

    /// <summary>One node's InfiniBand port-counter page, parsed.</summary>
    void OnPortPage(string node, SampleBatch batch);

    /// <summary>The round is over; <paramref name="answered"/> holds the nodes whose dcgm-exporter page was read.</summary>
    void OnRoundCompleted(DateTimeOffset at, IReadOnlyCollection<string> answered);
}

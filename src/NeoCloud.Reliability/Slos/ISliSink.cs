namespace NeoCloud.Reliability.Slos;

/// <summary>
/// Takes service-level indicator events as they happen (a request served, a job that started): <c>good</c> of
/// <c>total</c> events of one SLI, for one tenant or for the region (null), at one instant; and, for the latency SLIs,
/// each latency itself, which a sink judges against its own thresholds.
/// </summary>
public interface ISliSink
{
    void Record(string sli, string? tenant, DateTimeOffset at, long good, long total);

    /// <summary>One event of a latency SLI (<c>api-latency</c>, <c>job-start-latency</c>) and how long it took.</summary>
    void RecordLatency(string sli, string? tenant, DateTimeOffset at, TimeSpan latency);

    /// <summary>The thresholds this sink judges <paramref name="sli"/>'s latencies against (the declared SLOs' thresholds).</summary>
    IReadOnlyCollection<TimeSpan> LatencyThresholds(string sli);
}

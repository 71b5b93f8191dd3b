using NeoCloud.Reliability.Slos;
using NeoCloud.Server.Observability;
using Prometheus;

namespace NeoCloud.Server.Reliability;

/// <summary>
/// The host's built-in SLI events: each is counted on <c>neocloud_sli_events_total{sli,neocloud_tenant,result}</c> (so
/// exported burn-rate rules can read them) and handed to every other registered <see cref="ISliSink"/> (the SLO book).
/// </summary>
public sealed class SliEvents : ISliSink
{
    public const string ApiAvailability = "api-availability";
    public const string ApiLatency = "api-latency";
    public const string JobStartLatency = "job-start-latency";
    public const string JobSuccess = "job-success";
    public const string GpuNodeAvailability = "gpu-node-availability";
    public const string TrainingGoodput = "training-goodput";

    /// <summary>A request answered within this is good for <see cref="ApiLatency"/>.</summary>
    public static readonly TimeSpan ApiLatencyThreshold = TimeSpan.FromMilliseconds(500);

    /// <summary>A job running within this of its admission is good for <see cref="JobStartLatency"/>.</summary>
    public static readonly TimeSpan JobStartThreshold = TimeSpan.FromMinutes(10);

    private readonly Counter _events;
    private readonly IReadOnlyList<ISliSink> _sinks;
    private readonly ILogger<SliEvents> _logger;

    public SliEvents(FleetMetrics host, IEnumerable<ISliSink> sinks, ILogger<SliEvents> logger)
    {
        ArgumentNullException.ThrowIfNull(host);
        _events = host.Factory.CreateCounter(
            "neocloud_sli_events_total", "Service-level indicator events from NeoCloud's own work, by SLI, tenant (empty for the region) and result.",
            new CounterConfiguration { LabelNames = [BuiltInSlis.SliLabel, BuiltInSlis.TenantLabel, BuiltInSlis.ResultLabel, BuiltInSlis.ThresholdLabel] });
        _sinks = [.. sinks.Where(s => !ReferenceEquals(s, this))];
        _logger = logger;
    }

    /// <summary>Counts <paramref name="good"/> good and <paramref name="total"/> − good bad events and forwards them.</summary>
    /// <exception cref="ArgumentOutOfRangeException">good is negative or above total.</exception>
    public void Record(string sli, string? tenant, DateTimeOffset at, long good, long total)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sli);
        if (good < 0 || total < good)
        {
            throw new ArgumentOutOfRangeException(nameof(good), $"SLI {sli}: {good} good of {total} events is impossible.");
        }

        if (total == 0)
        {
            return;
        }

        string who = tenant ?? "";
        if (good > 0)
        {
            _events.WithLabels(sli, who, "good", string.Empty).Inc(good);
        }

        if (total > good)
        {
            _events.WithLabels(sli, who, "bad", string.Empty).Inc(total - good);
        }

        foreach (var sink in _sinks)
        {
            try
            {
                sink.Record(sli, tenant, at, good, total);
            }
            catch (Exception ex)
            {
                // A faulty SLO book must not fail the request or the job transition that produced the event.
                _logger.LogError(ex, "SLI sink {Sink} refused {Sli} events", sink.GetType().Name, sli);
            }
        }
    }

    /// <summary>
    /// Counts one latency as good or bad against every threshold that matters for <paramref name="sli"/> — the default one
    /// and each one a declared SLO uses — so every exported latency rule finds its own series, and forwards it.
    /// </summary>
    public void RecordLatency(string sli, string? tenant, DateTimeOffset at, TimeSpan latency)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sli);
        string who = tenant ?? "";
        foreach (var threshold in LatencyThresholds(sli))
        {
            _events.WithLabels(sli, who, latency <= threshold ? "good" : "bad", BuiltInSlis.FormatThreshold(threshold)).Inc();
        }

        foreach (var sink in _sinks)
        {
            try
            {
                sink.RecordLatency(sli, tenant, at, latency);
            }
            catch (Exception ex)
            {
                _logger.LogError(ex, "SLI sink {Sink} refused a {Sli} latency", sink.GetType().Name, sli);
            }
        }
    }

    /// <summary>The default threshold of a latency SLI and every threshold the other sinks judge it against.</summary>
    public IReadOnlyCollection<TimeSpan> LatencyThresholds(string sli)
    {
        var thresholds = new SortedSet<TimeSpan>();
        if (DefaultThreshold(sli) is { } fallback)
        {
            thresholds.Add(fallback);
        }

        foreach (var sink in _sinks)
        {
            thresholds.UnionWith(sink.LatencyThresholds(sli));
        }

        return thresholds;
    }

    /// <summary>The count so far of one series (tests, the dashboard); latency SLIs are read at their default threshold.</summary>
    public double Count(string sli, string? tenant, bool good) =>
        _events.WithLabels(sli, tenant ?? "", good ? "good" : "bad", DefaultThreshold(sli) is { } t ? BuiltInSlis.FormatThreshold(t) : string.Empty).Value;

    private static TimeSpan? DefaultThreshold(string sli) => sli switch
    {
        ApiLatency => ApiLatencyThreshold,
        JobStartLatency => JobStartThreshold,
        _ => null,
    };
}
